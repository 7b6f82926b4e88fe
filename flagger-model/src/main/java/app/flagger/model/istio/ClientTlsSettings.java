package app.flagger.model.istio;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** TLS towards the upstream; {@code mode} is DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientTlsSettings(
    String caCertificates,
    String clientCertificate,
    String mode,
    String privateKey,
    String sni,
    List<String> subjectAltNames) {}
