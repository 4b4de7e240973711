package com.connectionkeeper.secretsmanager;

/** Reads the consumer key with the production wiring, configured by the environment alone (a test runs it). */
public final class ReadOne {
    private ReadOne() {
    }

    public static void main(String[] args) {
        String key = CredentialsConfig.fromSystem().snapTradeConsumerKey();
        System.exit("from-secrets-manager".equals(key) ? 0 : 3);
    }
}
