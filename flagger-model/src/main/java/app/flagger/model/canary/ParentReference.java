package app.flagger.model.canary;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A Gateway API parent (gateway) reference. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParentReference(
    String group, String kind, String name, String namespace, String sectionName, Integer port) {}
