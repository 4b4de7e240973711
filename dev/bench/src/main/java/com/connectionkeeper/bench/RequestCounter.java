package com.connectionkeeper.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** SDK interceptor: counts DynamoDB requests sent (each attempt) by operation, and keeps them since the last reset. */
final class RequestCounter implements ExecutionInterceptor {
    private final Map<String, Integer> byOperation = new TreeMap<>();
    private final List<SdkRequest> sent = new ArrayList<>();
    private int failed;

    @Override
    public synchronized void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        byOperation.merge(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1, Integer::sum);
        sent.add(context.request());
    }

    @Override
    public synchronized void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        failed++;
    }

    synchronized void reset() {
        byOperation.clear();
        sent.clear();
        failed = 0;
    }

    synchronized int total() {
        return byOperation.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Failed calls (e.g. a conditional check that did not pass), each also counted as sent. */
    synchronized int failed() {
        return failed;
    }

    synchronized List<SdkRequest> sent() {
        return List.copyOf(sent);
    }

    /** E.g. {@code UpdateItem ×2, GetItem ×1}. */
    synchronized String breakdown() {
        if (byOperation.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        byOperation.forEach((operation, n) -> parts.add(operation + " ×" + n));
        return String.join(", ", parts) + (failed > 0 ? " (" + failed + " conditional-check failed)" : "");
    }
}
