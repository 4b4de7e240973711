package com.connectionkeeper.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * Checks a received request's SigV4 signature the way AWS does: signs the request again — its method, path, the
 * headers it says it signed, its body, its X-Amz-Date — with known credentials, using the SDK's own signer, and
 * compares the Authorization headers. A loopback stand-in uses it to prove that code which signs by itself signs right.
 */
final class SigV4Check {
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?"
                    + "Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SigV4Check() {
    }

    /** Why the request's signature is not right for these credentials and service; null when it is. */
    static String problem(HttpExchange exchange, byte[] body, String accessKey, String secretKey, String service) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Matcher m = authorization == null ? null : AUTHORIZATION.matcher(authorization);
        if (m == null || !m.matches()) {
            return "no SigV4 Authorization header";
        }
        if (!m.group(1).equals(accessKey) || !m.group(4).equals(service)) {
            return "signed by " + m.group(1) + " for " + m.group(4);
        }
        String date = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        if (date == null) {
            return "no X-Amz-Date";
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()))
                .uri(URI.create("http://" + host + exchange.getRequestURI()));
        for (String name : m.group(5).split(";")) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value == null) {
                return "signed header " + name + " is missing";
            }
            request.putHeader(name.toLowerCase(Locale.ROOT), value);
        }
        Instant at = Instant.from(AMZ_DATE.parse(date));
        String again = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(accessKey, secretKey))
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, m.group(3))
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
                .request().firstMatchingHeader("Authorization").orElse("");
        Matcher expected = AUTHORIZATION.matcher(again);
        if (!expected.matches()) {
            return "could not sign again";
        }
        return expected.group(6).equals(m.group(6)) ? null
                : "signature mismatch (signed headers " + m.group(5) + ")";
    }
}
