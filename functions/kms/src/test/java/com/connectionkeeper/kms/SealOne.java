package com.connectionkeeper.kms;

import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.secrets.SealContext;
import com.connectionkeeper.core.secrets.SecretSealer;

/** Seals and opens one secret with the production wiring, configured by the environment alone (a test runs it). */
public final class SealOne {
    private SealOne() {
    }

    public static void main(String[] args) {
        SecretSealer sealer = Sealers.fromConfig(EnvironmentConfig.fromSystem());
        SealContext context = new SealContext("ck-table", "alice");
        System.exit("s3cret".equals(sealer.open(context, sealer.seal(context, "s3cret"))) ? 0 : 3);
    }
}
