package com.connectionkeeper.api;

import com.connectionkeeper.core.domain.AccountStore;
import com.connectionkeeper.core.domain.StateStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A StateStore and AccountStore that delegates to the real one but fails (as the DynamoDB client does when DynamoDB
 * cannot be reached) on the n-th call of one method: DynamoDB failing at one chosen step.
 */
final class FailingStore implements InvocationHandler {
    private final Object delegate;
    private final String method;
    private final int failOn;
    private final AtomicInteger calls = new AtomicInteger();

    private FailingStore(Object delegate, String method, int failOn) {
        this.delegate = delegate;
        this.method = method;
        this.failOn = failOn;
    }

    /** {@code delegate} (a StateStore and AccountStore) failing on the {@code failOn}-th (1-based) call of method. */
    static Object failing(Object delegate, String method, int failOn) {
        return Proxy.newProxyInstance(FailingStore.class.getClassLoader(),
                new Class<?>[] {StateStore.class, AccountStore.class}, new FailingStore(delegate, method, failOn));
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        if (m.getName().equals(method) && calls.incrementAndGet() == failOn) {
            throw SdkClientException.create("injected: DynamoDB unreachable at " + method);
        }
        try {
            return m.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
