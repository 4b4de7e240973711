package com.connectionkeeper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;

/** Short-form intrinsic functions come out in their long form; the rest of the YAML reads as CloudFormation reads it. */
class CloudFormationTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shortFormTagsBecomeLongForm() throws Exception {
        CloudFormationTemplate template = CloudFormationTemplate.parse("""
                Resources:
                  R:
                    Type: AWS::X::Y
                    Properties:
                      Ref: !Ref Table
                      GetAttScalar: !GetAtt Db.Endpoint.Address
                      GetAttList: !GetAtt [Table, Arn]
                      Sub: !Sub arn:${AWS::Partition}:s3:::${Bucket}
                      SubList: !Sub ['${A}-x', {A: !Ref B}]
                      Join: !Join [',', [a, !Ref B]]
                      If: !If [IsProd, !Not [!Equals [a, b]], !And [!Condition C, !Or [!Condition D, !Condition E]]]
                      FindInMap: !FindInMap [M, !Ref AWS::Region, K]
                      Select: !Select [0, !Split [',', !ImportValue Exported]]
                      Base64: !Base64 text
                      Cidr: !Cidr [10.0.0.0/16, 4, 8]
                      GetAZs: !GetAZs ''
                      Transform: !Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}
                """);

        assertEquals(JSON.readTree("""
                {"Ref": {"Ref": "Table"},
                 "GetAttScalar": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
                 "GetAttList": {"Fn::GetAtt": ["Table", "Arn"]},
                 "Sub": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}"},
                 "SubList": {"Fn::Sub": ["${A}-x", {"A": {"Ref": "B"}}]},
                 "Join": {"Fn::Join": [",", ["a", {"Ref": "B"}]]},
                 "If": {"Fn::If": ["IsProd", {"Fn::Not": [{"Fn::Equals": ["a", "b"]}]},
                        {"Fn::And": [{"Condition": "C"}, {"Fn::Or": [{"Condition": "D"}, {"Condition": "E"}]}]}]},
                 "FindInMap": {"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "K"]},
                 "Select": {"Fn::Select": [0, {"Fn::Split": [",", {"Fn::ImportValue": "Exported"}]}]},
                 "Base64": {"Fn::Base64": "text"},
                 "Cidr": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]},
                 "GetAZs": {"Fn::GetAZs": ""},
                 "Transform": {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}}}
                """), template.resource("R").path("Properties"));
    }

    @Test
    void datesStayStringsAndTheRepositoryTemplateReads() {
        CloudFormationTemplate template = CloudFormationTemplate.load();

        assertEquals("2010-09-09", template.tree().path("AWSTemplateFormatVersion").textValue());
        assertEquals(List.of("ConnectionsTable"), template.resourcesOfType("AWS::DynamoDB::Table"));
        assertEquals(Map.of("Ref", "ConnectionsTable"),
                ((Map<?, ?>) ((Map<?, ?>) template.asMap().get("Outputs")).get("TableName")).get("Value"));
    }

    @Test
    void accessorsGiveCopies() {
        CloudFormationTemplate template = CloudFormationTemplate.load();
        JsonNode before = template.tree();

        ((ObjectNode) template.resources()).removeAll();
        ((ObjectNode) template.tree()).removeAll();
        ((ObjectNode) template.resource("ConnectionsTable")).removeAll();

        assertEquals(before, template.tree());
    }

    @Test
    void mistakesAreRejected() {
        assertThrows(DuplicateKeyException.class, () -> CloudFormationTemplate.parse("A: 1\nA: 2\n"));
        assertThrows(IllegalArgumentException.class, () -> CloudFormationTemplate.parse("X: !GetAtt NoDot\n"));
        assertThrows(IllegalArgumentException.class, () -> CloudFormationTemplate.load().resource("Missing"));
    }
}
