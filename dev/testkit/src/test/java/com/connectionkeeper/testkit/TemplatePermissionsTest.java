package com.connectionkeeper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, written out: each function's role grants exactly the actions its code calls, on the resources it
 * calls them on, and nothing on "*". The lists below are the code's calls, function by function (the store adapters
 * each function wires, the clients it builds); the local stack's LocalStackIT records the calls the real zips make
 * and checks them against the same template. Each check fails on a broken copy of the template.
 */
class TemplatePermissionsTest {
    private static final String TABLE = "ConnectionsTable";
    private static final List<String> OWN_LOGS = List.of("logs:CreateLogStream", "logs:PutLogEvents");

    /** What each function's code calls. */
    static final Map<String, Set<String>> CALLS = new TreeMap<>(Map.of(
            // WebhookIngestion over DynamoConnectionStore: the user's items (get, query its partition, update);
            // the consumer key from the credentials secret. No Scan, no DeleteItem, no KMS.
            "WebhookFunction", calls("WebhookFunction",
                    "dynamodb:GetItem " + TABLE, "dynamodb:Query " + TABLE, "dynamodb:UpdateItem " + TABLE,
                    "secretsmanager:GetSecretValue CredentialsSecret"),
            // UserSweep, SweepPlanner, SweepRun: connection and secret stores (get, query, update), the sweep queue
            // (its five indexes, its lease released by a conditional DeleteItem), the lifetimes (a Query), the
            // shared SnapTrade budget (an UpdateItem per take; a 429's pause closes later sub-windows in one
            // BatchWriteItem), the credentials, and KMS: open each user's sealed secret, seal a plaintext one
            "SweepFunction", calls("SweepFunction",
                    "dynamodb:GetItem " + TABLE, "dynamodb:Query " + TABLE, "dynamodb:UpdateItem " + TABLE,
                    "dynamodb:DeleteItem " + TABLE, "dynamodb:BatchWriteItem " + TABLE,
                    "dynamodb:Query " + TABLE + "/index/ByStatus", "dynamodb:Query " + TABLE + "/index/ByVerifyRequest",
                    "dynamodb:Query " + TABLE + "/index/BySweepOrder", "dynamodb:Query " + TABLE + "/index/ByRetry",
                    "dynamodb:Query " + TABLE + "/index/ByDue",
                    "dynamodb:Query " + TABLE + "/index/ByBrokerage",
                    "secretsmanager:GetSecretValue CredentialsSecret",
                    "kms:Decrypt KeeperKey", "kms:Encrypt KeeperKey"),
            // UserService, ReconnectService, DynamoAccountStore (a registration attempt's item removed by a
            // conditional DeleteItem), the shared SnapTrade budget (as the sweep's), the credentials, KMS to seal
            // stored secrets and open them for SnapTrade
            "ApiFunction", calls("ApiFunction",
                    "dynamodb:GetItem " + TABLE, "dynamodb:Query " + TABLE, "dynamodb:UpdateItem " + TABLE,
                    "dynamodb:DeleteItem " + TABLE, "dynamodb:BatchWriteItem " + TABLE,
                    "secretsmanager:GetSecretValue CredentialsSecret",
                    "kms:Decrypt KeeperKey", "kms:Encrypt KeeperKey"),
            // the stream (Lambda's event source mapping reads it with the function's role), IncidentWatch's and
            // the published marks' own items, the bus, the on-failure queue
            "LifecycleFunction", calls("LifecycleFunction",
                    "dynamodb:DescribeStream " + TABLE + "/stream/*", "dynamodb:GetRecords " + TABLE + "/stream/*",
                    "dynamodb:GetShardIterator " + TABLE + "/stream/*", "dynamodb:ListStreams *",
                    "dynamodb:GetItem " + TABLE, "dynamodb:BatchGetItem " + TABLE, "dynamodb:Query " + TABLE,
                    "dynamodb:UpdateItem " + TABLE, "dynamodb:BatchWriteItem " + TABLE,
                    "events:PutEvents LifecycleBus", "sqs:SendMessage LifecycleDeadLetterQueue"),
            // ReminderRun over DynamoReminderStore (its index, claims by update) and IncidentWatch's holds
            "ReminderFunction", calls("ReminderFunction",
                    "dynamodb:GetItem " + TABLE, "dynamodb:Query " + TABLE, "dynamodb:UpdateItem " + TABLE,
                    "dynamodb:Query " + TABLE + "/index/ByReminderDue"),
            // SecretMigrationHandler: one Scan for plaintext secrets, each sealed in place
            "SecretMigrationFunction", calls("SecretMigrationFunction",
                    "dynamodb:Scan " + TABLE, "dynamodb:GetItem " + TABLE, "dynamodb:UpdateItem " + TABLE,
                    "kms:Encrypt KeeperKey")));

    private static Set<String> calls(String function, String... grants) {
        Set<String> all = new TreeSet<>(List.of(grants));
        OWN_LOGS.forEach(action -> all.add(action + " " + function + "LogGroup"));
        return all;
    }

    @Test
    void eachFunctionMayDoExactlyWhatItsCodeCalls() {
        TemplatePermissions permissions = TemplatePermissions.of(CloudFormationTemplate.load().tree());
        assertEquals(List.of(), permissions.problems());
        assertEquals(CALLS.keySet(), permissions.grants().keySet(), "every function is listed here");
        for (String function : CALLS.keySet()) {
            assertEquals(CALLS.get(function), permissions.grants().get(function), function);
        }
    }

    @Test
    void onlyTheFunctionsThatCallSnapTradeForAUserMayUseTheKeyAndOnlyForThisTable() {
        TemplatePermissions permissions = TemplatePermissions.of(CloudFormationTemplate.load().tree());
        assertEquals(Set.of("ApiFunction", "SweepFunction", "SecretMigrationFunction"),
                permissions.kmsConditions().keySet());
        assertEquals(List.of(), kmsProblems(permissions));
    }

    @Test
    void theTableKeyIsUsableOnlyThroughDynamoDbAndTheSealingKeyOnlyThroughTheRoles() {
        JsonNode resources = CloudFormationTemplate.load().tree().path("Resources");
        assertEquals("TableKey", resources.path("ConnectionsTable").path("Properties").path("SSESpecification")
                .path("KMSMasterKeyId").path("Ref").asText());
        for (String key : List.of("TableKey", "KeeperKey")) {
            JsonNode properties = resources.path(key).path("Properties");
            assertTrue(properties.path("EnableKeyRotation").asBoolean(), key + ": rotation on");
            for (JsonNode statement : properties.path("KeyPolicy").path("Statement")) {
                JsonNode principal = statement.path("Principal").path("AWS");
                if (principal.isTextual() && principal.asText().equals("*")) {
                    assertEquals("TableKey", key, "only the table's key has a statement for any principal");
                    assertEquals("dynamodb.${AWS::Region}.amazonaws.com", statement.path("Condition")
                            .path("StringEquals").path("kms:ViaService").path("Fn::Sub").asText(), "through DynamoDB");
                    assertEquals("AWS::AccountId", statement.path("Condition").path("StringEquals")
                            .path("kms:CallerAccount").path("Ref").asText(), "this account's callers");
                } else {
                    assertEquals("arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
                            principal.path("Fn::Sub").asText(), key + ": otherwise the account, through IAM");
                }
            }
        }
        JsonNode table = resources.path("ConnectionsTable");
        assertTrue(table.path("Properties").path("DeletionProtectionEnabled").asBoolean());
        assertTrue(table.path("Properties").path("PointInTimeRecoverySpecification")
                .path("PointInTimeRecoveryEnabled").asBoolean());
        assertEquals("Retain", table.path("DeletionPolicy").asText());
    }

    @Test
    void aMissingActionFails() {
        ObjectNode broken = template();
        ArrayNode actions = (ArrayNode) statement(broken, "WebhookFunctionRole", "ConnectionState").path("Action");
        actions.remove(2); // dynamodb:UpdateItem
        assertEquals(List.of("WebhookFunction lacks dynamodb:UpdateItem ConnectionsTable"), differences(broken));
    }

    @Test
    void aStarResourceFails() {
        ObjectNode broken = template();
        statement(broken, "SweepFunctionRole", "ConnectionState").put("Resource", "*");
        List<String> problems = TemplatePermissions.of(broken).problems();
        assertTrue(problems.contains("SweepFunctionRole: dynamodb:GetItem on *"), problems.toString());
        assertTrue(differences(broken).contains("SweepFunction may dynamodb:GetItem * (not called)"));
    }

    @Test
    void aWebhookRoleThatMayDecryptFails() {
        ObjectNode broken = template();
        ArrayNode statements = (ArrayNode) policy(broken, "WebhookFunctionRole").path("Statement");
        ObjectNode decrypt = statements.addObject().put("Effect", "Allow").put("Action", "kms:Decrypt");
        decrypt.putObject("Resource").putArray("Fn::GetAtt").add("KeeperKey").add("Arn");
        assertEquals(List.of("WebhookFunction may kms:Decrypt KeeperKey (not called)"), differences(broken));
        assertEquals(List.of("WebhookFunction: kms statement without the encryption context condition"),
                kmsProblems(TemplatePermissions.of(broken)));
    }

    @Test
    void aKeyStatementWithoutTheContextConditionFails() {
        ObjectNode broken = template();
        statement(broken, "ApiFunctionRole", "UsersSecrets").remove("Condition");
        assertEquals(List.of("ApiFunction: kms statement without the encryption context condition"),
                kmsProblems(TemplatePermissions.of(broken)));
    }

    @Test
    void samPoliciesAWildcardActionAndAnUnnamedResourceFail() {
        ObjectNode broken = template();
        ObjectNode reminder = (ObjectNode) broken.path("Resources").path("ReminderFunction").path("Properties");
        reminder.putArray("Policies").addObject().putObject("DynamoDBCrudPolicy").put("TableName", "t");
        statement(broken, "LifecycleFunctionRole", "Publish").putArray("Action").add("events:*");
        statement(broken, "ApiFunctionRole", "Credentials").put("Resource", "arn:aws:secretsmanager:*:*:secret:*");
        List<String> problems = TemplatePermissions.of(broken).problems();
        assertTrue(problems.contains("ReminderFunction: SAM Policies (grant more than the code calls; use its role)"),
                problems.toString());
        assertTrue(problems.contains("LifecycleFunctionRole: wildcard action events:*"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("ApiFunctionRole: secretsmanager:GetSecretValue on a "
                + "resource not named by the template")), problems.toString());
    }

    /** Every difference between the template's grants and the code's calls, one line each. */
    private static List<String> differences(JsonNode template) {
        Map<String, Set<String>> grants = TemplatePermissions.of(template).grants();
        List<String> out = new ArrayList<>();
        for (String function : CALLS.keySet()) {
            Set<String> granted = grants.getOrDefault(function, Set.of());
            CALLS.get(function).stream().filter(c -> !granted.contains(c))
                    .forEach(c -> out.add(function + " lacks " + c));
            granted.stream().filter(g -> !CALLS.get(function).contains(g))
                    .forEach(g -> out.add(function + " may " + g + " (not called)"));
        }
        return out;
    }

    /** KMS statements must hold the purpose and this table's name in the encryption context. */
    private static List<String> kmsProblems(TemplatePermissions permissions) {
        List<String> out = new ArrayList<>();
        permissions.kmsConditions().forEach((function, conditions) -> {
            for (JsonNode condition : conditions) {
                JsonNode equals = condition.path("StringEquals");
                boolean bound = "connection-keeper/user-secret".equals(
                        equals.path("kms:EncryptionContext:purpose").asText())
                        && TABLE.equals(equals.path("kms:EncryptionContext:table").path("Ref").asText());
                if (!bound) {
                    out.add(function + ": kms statement without the encryption context condition");
                }
            }
        });
        return out;
    }

    private static ObjectNode template() {
        return (ObjectNode) CloudFormationTemplate.load().tree().deepCopy();
    }

    private static JsonNode policy(JsonNode template, String role) {
        return template.path("Resources").path(role).path("Properties").path("Policies").get(0)
                .path("PolicyDocument");
    }

    private static ObjectNode statement(JsonNode template, String role, String sid) {
        for (JsonNode s : policy(template, role).path("Statement")) {
            if (sid.equals(s.path("Sid").asText())) {
                return (ObjectNode) s;
            }
        }
        throw new AssertionError(role + " has no statement " + sid);
    }
}
