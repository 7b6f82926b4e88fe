package app.flagger.model.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A Secret in the referring object's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretReference(String name) {}
