package com.connectionkeeper.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * The integration tier: a test class that needs dynalite ({@link Dynalite}, {@link DynaliteServer}), the SnapTrade
 * simulator, a child JVM, a container or a built zip. Tagged {@value #TAG} for JUnit Jupiter and for jqwik alike, so
 * {@code mvn -B test -Pfast} (surefire's {@code excludedGroups=integration}) runs only the fast unit tests; a plain
 * {@code mvn -B verify} runs both. {@code TestTiersTest} (dev/architecture) fails when a test class that reaches any
 * of these lacks this annotation.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Integration.TAG)
@net.jqwik.api.Tag(Integration.TAG)
public @interface Integration {
    /** The tag's name, for {@code -Dgroups} / {@code -DexcludedGroups}. */
    String TAG = "integration";
}
