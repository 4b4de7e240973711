package com.connectionkeeper.sweep;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Wraps a {@link DynamoDbClient} and counts, per secondary index, the Query pages DynamoDB answered, the items they
 * carried and the largest page: what the sweep really held in memory from each index, whatever it consumed. Every
 * call goes to the real client; the SDK's paginators (default methods of the interface) run on the wrapper, so each
 * page they fetch passes through {@code query} and is counted.
 */
final class IndexReadCounter implements InvocationHandler {
    /** Counts of one index; thread-safe through the counter. */
    record Reads(long pages, long items, long largestPage) {
    }

    private final DynamoDbClient delegate;
    private final Map<String, Reads> reads = new TreeMap<>();

    private IndexReadCounter(DynamoDbClient delegate) {
        this.delegate = delegate;
    }

    /** The counting client and its counter. */
    static IndexReadCounter wrap(DynamoDbClient client) {
        return new IndexReadCounter(client);
    }

    DynamoDbClient client() {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, this);
    }

    /** Reads so far, by index name. */
    synchronized Map<String, Reads> reads() {
        return Map.copyOf(reads);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.isDefault() && method.getName().endsWith("Paginator")) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        Object result;
        try {
            result = method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (result instanceof QueryResponse page && args.length == 1 && args[0] instanceof QueryRequest query
                && query.indexName() != null) {
            count(query.indexName(), page.count());
        }
        return result;
    }

    private synchronized void count(String index, int items) {
        reads.merge(index, new Reads(1, items, items),
                (a, b) -> new Reads(a.pages() + 1, a.items() + items, Math.max(a.largestPage(), items)));
    }
}
