package com.connectionkeeper.core.secrets;

import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import java.time.Instant;
import java.util.Optional;

/**
 * The users' SnapTrade secrets: the one port through which a secret is stored, read, flagged as rejected and
 * dropped. The sweep reads and flags them; the API stores, resets and drops them; the webhook never sees one. The
 * adapter seals a secret before it stores it ({@link SecretSealer}) and opens it when it is read: callers see
 * plaintext only in the {@link UserCredentials} they hand SnapTrade.
 */
public interface SecretStore {

    /**
     * Stores the user's SnapTrade secret (registration or import): the user becomes sweepable, any flag is cleared.
     * False, and nothing stored, when the user is deleted (a deletion racing an import wins).
     */
    boolean saveUserSecret(String userId, String userSecret);

    /** The user's id and secret, when we have a secret that SnapTrade has not rejected. */
    Optional<UserCredentials> credentials(String userId);

    /**
     * A secret we hold, what SnapTrade last said was wrong with it ({@code problem}; null: nothing), and the version of
     * the stored secret it was read from ({@code version}, opaque, never the secret): flags name the version SnapTrade
     * judged, so a secret saved meanwhile is not flagged for the old one's rejection.
     */
    record HeldSecret(UserCredentials credentials, String problem, String version) {
        @Override
        public String toString() {
            return "HeldSecret[credentials=" + credentials + ", problem=" + problem + "]";
        }
    }

    /**
     * The secret we hold for the user, flagged or not (the sweep rechecks flagged users with it); empty when we hold
     * none or the user is deleted.
     */
    Optional<HeldSecret> heldSecret(String userId);

    /**
     * Takes the user out of the sweep (e.g. SnapTrade rejected the secret of {@code versionUsed}) until its secret is
     * saved again or
     * a recheck finds it accepted: the recheck is due after {@link RetryBackoff#FLAGGED_RECHECK} for the consecutive
     * flags. Nothing for a deleted user, or when the user holds another secret by now (a new one saved meanwhile is
     * not the one SnapTrade rejected).
     */
    void flagUser(String userId, String problem, Instant at, String versionUsed);

    /**
     * SnapTrade accepted the secret of {@code versionUsed} again: the flag ends and the user is back in the sweep.
     * False, nothing changed, when the user is deleted or holds another secret now.
     */
    boolean clearFlag(String userId, String versionUsed);

    /**
     * Creates a user registered through the API, with its first secret (one conditional write: the user and its
     * secret never exist apart), unless one exists that is not deleted (a user known
     * from webhooks only, without a registration, is created). The registration ({@code at}, {@code requestId}) is
     * written as the user's watermark, so an older USER_DELETED of an earlier user with the same id stays stale.
     * False if it exists.
     */
    boolean createUser(String userId, String userSecret, Instant at, String requestId);

    /** Drops the user's secret (after its deletion); nothing else changes. */
    void forgetSecret(String userId);
}
