package com.connectionkeeper.testkit;

import java.util.List;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A DynamoDB client on the shared dynalite that adds every request it is about to send to a list of the test's. */
public final class RecordingDynamo {
    private RecordingDynamo() {
    }

    /** The client; {@code into} receives each request, in order (tests read it from one thread at a time). */
    public static DynamoDbClient client(List<? super SdkRequest> into) {
        return DynaliteServer.clientBuilder(Dynalite.endpoint())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        into.add(context.request());
                    }
                }))
                .build();
    }
}
