package com.connectionkeeper.api;

import com.connectionkeeper.accounts.AccountStore;
import com.connectionkeeper.core.ingest.ConnectionStore;
import com.connectionkeeper.core.secrets.SecretStore;
import com.connectionkeeper.core.sweep.SweepQueue;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The store with a DynamoDB failure injected, as an unreachable DynamoDB answers (the call does not happen, the caller
 * gets the SDK's exception): before one chosen write, counted from {@link #failBeforeWrite}, or on the n-th call of
 * one method ({@link #failing}). One proxy implements the four ports, each method passed on to the adapter of its
 * port, so writes are counted across all of them.
 */
final class FailingStore implements InvocationHandler {
    /** Every port method that writes; reads pass through uncounted. */
    static final Set<String> WRITES = Set.of("applyToConnection", "applyToUser", "applyUserDeletion", "recordHistory", "saveUserSecret",
            "flagUser", "clearFlag", "createUser", "beginRegistration", "endRegistration", "forgetSecret", "recordLink", "consumeLink",
            "markVerified", "markChecked", "scheduleRetry", "startPass", "advancePass", "tryLease", "releaseLease");

    /** The ports the API's services take. */
    private static final Class<?>[] PORTS = {ConnectionStore.class, SecretStore.class, AccountStore.class,
        SweepQueue.class};

    private final List<?> adapters;
    private final List<String> writes = new ArrayList<>();
    private int failAt = -1;
    private int failures;
    private String method;
    private int failOnCall;
    private int methodCalls;

    private FailingStore(List<?> adapters) {
        this.adapters = adapters;
    }

    /** The {@code adapters} (the DynamoDB ones) failing on the {@code failOn}-th (1-based) call of {@code method}. */
    static Object failing(List<?> adapters, String method, int failOn) {
        Ports ports = over(adapters);
        ports.control().method = method;
        ports.control().failOnCall = failOn;
        return ports.proxy();
    }

    /** A proxy implementing the four ports over {@code adapters} (one for each port). */
    static Ports over(List<?> adapters) {
        FailingStore handler = new FailingStore(adapters);
        return new Ports(proxy(handler), handler);
    }

    /** A proxy implementing the four ports, every call handled by {@code handler}. */
    static Object proxy(InvocationHandler handler) {
        return Proxy.newProxyInstance(FailingStore.class.getClassLoader(), PORTS, handler);
    }

    /** Performs the call on the adapter (of {@code adapters}) of the method's port, as if called directly. */
    static Object forward(List<?> adapters, Method method, Object[] args) throws Throwable {
        Object adapter = adapters.stream().filter(method.getDeclaringClass()::isInstance).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no adapter of " + method.getDeclaringClass()));
        try {
            return method.invoke(adapter, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The proxy as each port, and its control. */
    record Ports(Object proxy, FailingStore control) {
        ConnectionStore state() {
            return (ConnectionStore) proxy;
        }

        SecretStore secrets() {
            return (SecretStore) proxy;
        }

        AccountStore accounts() {
            return (AccountStore) proxy;
        }

        SweepQueue sweep() {
            return (SweepQueue) proxy;
        }
    }

    /** The {@code n}-th write from now (1 = the next) fails, once; 0: none. */
    synchronized void failBeforeWrite(int n) {
        failAt = n <= 0 ? -1 : writes.size() + n;
    }

    /** The writes attempted so far, by method name (failed ones included). */
    synchronized List<String> writes() {
        return List.copyOf(writes);
    }

    synchronized int failures() {
        return failures;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(this, args);
        }
        synchronized (this) {
            if (method.getName().equals(this.method) && ++methodCalls == failOnCall) {
                failures++;
                throw SdkClientException.create("injected: DynamoDB unreachable at " + method.getName());
            }
        }
        if (WRITES.contains(method.getName())) {
            synchronized (this) {
                writes.add(method.getName());
                if (writes.size() == failAt) {
                    failures++;
                    throw SdkClientException.create("injected: DynamoDB unreachable before " + method.getName());
                }
            }
        }
        return forward(adapters, method, args);
    }
}
