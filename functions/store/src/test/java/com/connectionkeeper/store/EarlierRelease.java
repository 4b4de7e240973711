package com.connectionkeeper.store;

/** Items as a release before sealed secrets wrote them (the migration's tests start from these). */
public final class EarlierRelease {
    private EarlierRelease() {
    }

    /** A user item whose secret is stored in plaintext, in the sweep order, as the old saveUserSecret left it. */
    public static void storeInPlaintext(DynamoTable table, String userId, String secret) {
        table.update(new UpdateBuilder().set(Attributes.ENTITY, Attributes.USER_ENTITY).set(Attributes.USER_ID, userId)
                .set(Attributes.PLAINTEXT_SECRET, secret).set(Attributes.SWEEP_ORDER, Keys.sweepOrder(null, userId)),
                DynamoTable.key(userId, Keys.USER_SK));
    }
}
