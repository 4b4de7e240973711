package com.connectionkeeper.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;

/**
 * One function of the template as Lambda runs it, in a JVM of its own whose environment is the function's (the test
 * starts it with testkit's {@code OwnJvm}): the handler class of {@code _HANDLER} (the template's {@code Handler}, the
 * variable Lambda sets) is created by its no-arg constructor — Lambda's init, which reads the configuration from
 * that environment — and invoked once per event of the JSON array in the file {@value #EVENTS}, as the runtime
 * interface client invokes it: a {@link RequestStreamHandler} with the event's bytes, a {@link RequestHandler} with
 * the event read by Lambda's own serialization (what the runtime client uses: {@code aws-lambda-java-serialization}),
 * and no {@code Context} (the project's handlers read only its request id, when there is one). What each invocation
 * answered goes, as a JSON array, to the file {@value #ANSWERS}. Exits 0 when every event was
 * invoked; an exception (at init or in a handler) ends it with its stack trace and a non-zero status.
 */
public final class LambdaInvocation {
    /** The file holding the events, a JSON array. */
    static final String EVENTS = "CK_TEST_EVENTS";
    /** The file the answers are written to, a JSON array. */
    static final String ANSWERS = "CK_TEST_ANSWERS";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaInvocation() {
    }

    public static void main(String[] args) throws Exception {
        String handler = System.getenv("_HANDLER");
        if (handler == null || !handler.contains("::")) {
            throw new IllegalStateException("_HANDLER must name the handler as the template does (Class::method)");
        }
        Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
        Object function = type.getDeclaredConstructor().newInstance();
        ArrayNode answers = JSON.createArrayNode();
        for (JsonNode event : JSON.readTree(Path.of(System.getenv(EVENTS)).toFile())) {
            answers.add(JSON.readTree(invoke(function, JSON.writeValueAsBytes(event))));
        }
        JSON.writeValue(Path.of(System.getenv(ANSWERS)).toFile(), answers);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] invoke(Object function, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (function instanceof RequestStreamHandler stream) {
            stream.handleRequest(new ByteArrayInputStream(event), out, null);
            return out.toByteArray();
        }
        if (function instanceof RequestHandler plain) {
            Type[] types = handlerTypes(function.getClass());
            Object input = serializer((Class<?>) types[0]).fromJson(new ByteArrayInputStream(event));
            Object output = plain.handleRequest(input, null);
            serializer((Class<?>) types[1]).toJson(output, out);
            return out.toByteArray();
        }
        throw new IllegalStateException(function.getClass().getName() + " is not a Lambda handler");
    }

    /** The event and answer types of a class that implements {@link RequestHandler} itself. */
    private static Type[] handlerTypes(Class<?> type) {
        for (Type implemented : type.getGenericInterfaces()) {
            if (implemented instanceof ParameterizedType p && p.getRawType() == RequestHandler.class
                    && p.getActualTypeArguments()[0] instanceof Class
                    && p.getActualTypeArguments()[1] instanceof Class) {
                return p.getActualTypeArguments();
            }
        }
        throw new IllegalStateException(type.getName() + " does not implement RequestHandler with concrete types");
    }

    /** The runtime client's choice: Lambda's event serializers for its event types, its Jackson otherwise. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Class<?> type) {
        return LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(type,
                        LambdaInvocation.class.getClassLoader())
                : JacksonFactory.getInstance().getSerializer((Type) type);
    }
}
