package com.connectionkeeper.kms;

import com.connectionkeeper.aws.AwsClientDefaults;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.secrets.SealContext;
import com.connectionkeeper.core.secrets.SealedForm;
import com.connectionkeeper.core.secrets.SealingException;
import com.connectionkeeper.core.secrets.SecretSealer;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * {@link SecretSealer} on AWS KMS: each secret is encrypted directly under the deployment's customer managed key
 * (a user secret is far below KMS's 4 KB), with the {@link SealContext} as encryption context. KMS authenticates the
 * context with the ciphertext, and the key policy lets a function decrypt only with its own table's name in it: a
 * sealed secret copied onto another user, or into another table, does not open. Decrypt names the key too, so a
 * ciphertext of another key is refused rather than opened with whatever key it names.
 */
public final class KmsSealer implements SecretSealer {
    /** KMS's error codes that say this ciphertext will not open here, whatever we retry. */
    private static final Set<String> REFUSALS = Set.of("InvalidCiphertextException", "IncorrectKeyException",
            "AccessDeniedException", "InvalidKeyUsageException", "NotFoundException");

    private final KmsClient kms;
    private final String keyId;

    public KmsSealer(KmsClient kms, String keyId) {
        this.kms = Objects.requireNonNull(kms, "kms");
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("a KMS key id is required");
        }
        this.keyId = keyId;
    }

    /**
     * The client, with every function's AWS client defaults ({@link AwsClientDefaults}); its endpoint is the SDK's
     * own ({@code AWS_ENDPOINT_URL_KMS}, {@code AWS_ENDPOINT_URL}), never set here.
     */
    static KmsClient client(Config config) {
        return AwsClientDefaults.apply(KmsClient.builder(), config).build();
    }

    @Override
    public byte[] seal(SealContext context, String secret) {
        try {
            SdkBytes blob = kms.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String(secret))
                    .encryptionContext(context.asMap())).ciphertextBlob();
            return SealedForm.wrap(SealedForm.KMS, blob.asByteArray());
        } catch (SdkException e) {
            throw failure("seal", context, e);
        }
    }

    @Override
    public String open(SealContext context, byte[] sealed) {
        byte[] blob = SealedForm.unwrap(sealed, SealedForm.KMS, context);
        try {
            return kms.decrypt(b -> b.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(blob))
                    .encryptionContext(context.asMap())).plaintext().asUtf8String();
        } catch (SdkException e) {
            throw failure("open", context, e);
        }
    }

    @Override
    public String describe() {
        return "kms key " + keyId;
    }

    /** KMS's answer as a {@link SealingException}: its error code and request id, never what was sent. */
    private SealingException failure(String what, SealContext context, SdkException e) {
        String code = e instanceof KmsException k && k.awsErrorDetails() != null
                ? k.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
        boolean refused = REFUSALS.contains(code);
        String requestId = e instanceof KmsException k ? k.requestId() : null;
        return new SealingException(refused ? SealingException.Kind.REFUSED : SealingException.Kind.UNAVAILABLE,
                "KMS could not " + what + " the secret of user " + context.userId() + " with " + describe()
                        + " for table " + context.table() + ": " + code
                        + (requestId == null ? "" : " (request " + requestId + ")"), null);
    }
}
