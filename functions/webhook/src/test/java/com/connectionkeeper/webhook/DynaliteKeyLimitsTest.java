package com.connectionkeeper.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * What dynalite (the tests' DynamoDB) enforces of DynamoDB's key limits, pinned down so that the tests that rely on
 * it know: it refuses a sort key over 1024 <em>characters</em> (UTF-16 code units, where DynamoDB counts UTF-8
 * bytes), and does not check index keys at all. Hence {@link KeyLimitsPropertiesTest} measures every key itself.
 */
@Integration
class DynaliteKeyLimitsTest {
    private final DynamoDbClient client = Dynalite.client();
    private final String table = Dynalite.createTable();

    private void write(String sk, Map<String, AttributeValue> values, String update) {
        UpdateItemRequest.Builder request = UpdateItemRequest.builder().tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("USER#probe"), "sk", AttributeValue.fromS(sk)));
        if (update != null) {
            request.updateExpression(update).expressionAttributeValues(values);
        }
        client.updateItem(request.build());
    }

    @Test
    void refusesASortKeyOverTenTwentyFourAsciiCharacters() {
        write("a".repeat(1024), null, null);
        DynamoDbException e = assertThrows(DynamoDbException.class, () -> write("a".repeat(1025), null, null));
        assertEquals(400, e.statusCode());
    }

    @Test
    void countsCharactersNotUtf8Bytes() {
        write("é".repeat(1024), null, null); // 2048 bytes: DynamoDB itself refuses this key
    }

    @Test
    void doesNotCheckIndexKeySizes() {
        // sweepOrder is the sort key of the BySweepOrder index; DynamoDB refuses a value over 1024 bytes
        write("USER", Map.of(":e", AttributeValue.fromS("USER"), ":o", AttributeValue.fromS("!#" + "u".repeat(1500))),
                "SET entity = :e, sweepOrder = :o");
    }
}
