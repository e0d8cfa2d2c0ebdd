import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Characterization probe: calls the public and package-private methods and constructors of a
 * class (and of its nested classes) with boundary and type-derived inputs, and prints, as JSON
 * after a key, what each call returned (as Java source, when it has one) or threw.
 *
 * <p>Usage: java AtgProbe CLASS KEY SEED MAX_CALLS
 */
public final class AtgProbe {
    private static final long CALL_TIMEOUT_MS = 500;
    private static final int SEQUENCE_LENGTH = 6;
    private static final int SEQUENCE_ROUNDS = 6;
    private static final int AROUND = 10;
    private static final int MAX_CHAINS = 4;
    private static final int SEQUENCE_BUDGET = 90;
    /** Literals of the class's own source (strings and numbers it compares with). */
    private static final List<String> SEED_STRINGS = new ArrayList<>();
    private static final List<Double> SEED_NUMBERS = new ArrayList<>();
    /** Each method's (or constructor's, by its class's simple name) own literals. */
    private static final Map<String, List<String>> OWN_STRINGS = new LinkedHashMap<>();
    private static final Map<String, List<Double>> OWN_NUMBERS = new LinkedHashMap<>();
    private static Random random;
    private static Class<?> SUBJECT;
    /** Strings a method accepted where it rejected others (an expression its parser took):
     *  later calls draw them too. */
    private static final List<Arg> ACCEPTED = new ArrayList<>();
    private static final int MAX_ACCEPTED = 12;
    private static int maxCalls;
    private static final ExecutorService CALLS =
            Executors.newCachedThreadPool(
                    task -> {
                        Thread thread = new Thread(task);
                        thread.setDaemon(true);
                        return thread;
                    });

    /** A candidate argument: its value and the Java source that makes it. */
    private record Arg(Object value, String source, boolean seeded) {
        Arg(Object value, String source) {
            this(value, source, false);
        }
    }

    private AtgProbe() {}

    public static void main(String[] args) throws Exception {
        Class<?> subject = Class.forName(args[0]);
        SUBJECT = subject;
        String key = args[1];
        random = new Random(Long.parseLong(args[2]));
        maxCalls = Integer.parseInt(args[3]);
        if (args.length > 4) {
            readSeeds(java.nio.file.Path.of(args[4]));
        }
        StringBuilder out = new StringBuilder("{\"classes\":[");
        List<Class<?>> classes = new ArrayList<>();
        classes.add(subject);
        for (Class<?> nested : subject.getDeclaredClasses()) {
            if (!Modifier.isPrivate(nested.getModifiers())) {
                classes.add(nested);
            }
        }
        boolean first = true;
        for (Class<?> type : classes) {
            if (type.isInterface() || type.isEnum() && type != subject) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            probeClass(type, out);
        }
        out.append("]}");
        System.out.print(key + out);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** Lines `S:text` (a string, with \\n for a newline) and `N:number`. */
    private static void readSeeds(java.nio.file.Path file) throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(file)) {
            if (line.startsWith("F:")) {
                // F:name:S:text or F:name:N:number
                String[] parts = line.split(":", 4);
                if (parts.length == 4 && parts[2].equals("S")) {
                    OWN_STRINGS.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(parts[3].replace("\\n", "\n"));
                } else if (parts.length == 4) {
                    try {
                        OWN_NUMBERS.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(Double.parseDouble(parts[3]));
                    } catch (NumberFormatException ignored) {
                        // not a number Java reads
                    }
                }
            } else if (line.startsWith("S:") || line.startsWith("M:")) {
                SEED_STRINGS.add(line.substring(2).replace("\\n", "\n"));
            } else if (line.startsWith("N:")) {
                try {
                    SEED_NUMBERS.add(Double.parseDouble(line.substring(2)));
                } catch (NumberFormatException ignored) {
                    // not a number Java reads
                }
            }
        }
    }

    private static boolean visible(int modifiers) {
        return !Modifier.isPrivate(modifiers);
    }

    private static void probeClass(Class<?> type, StringBuilder out) {
        out.append("{\"name\":").append(quote(type.getCanonicalName()));
        out.append(",\"simple\":").append(quote(type.getSimpleName()));
        out.append(",\"generic\":").append(type.getTypeParameters().length > 0);
        out.append(",\"statics\":[");
        boolean first = true;
        for (Method method : methods(type)) {
            if (!Modifier.isStatic(method.getModifiers()) || method.getName().equals("main")) {
                continue;
            }
            Map<String, List<Arg>> tried = new LinkedHashMap<>();
            List<Arg> returned = new ArrayList<>();
            boolean threw = false;
            List<List<Arg>> bases = new ArrayList<>();
            List<String> baseResults = new ArrayList<>();
            List<List<Arg>> calls = argumentsFor(method, maxCalls);
            for (int index = 0; index < calls.size(); index++) {
                List<Arg> call = calls.get(index);
                if (tried.putIfAbsent(sources(call), call) != null) {
                    continue;
                }
                String observed = invoke(() -> method.invoke(null, values(call)), method.getGenericReturnType());
                String again = invoke(() -> method.invoke(null, values(call)), method.getGenericReturnType());
                if (observed == null || !observed.equals(again)) {
                    continue;  // not observable, or not the same twice (identity hashes, the clock)
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append("{\"method\":").append(quote(method.getName()));
                out.append(",\"args\":").append(quote(sources(call))).append(',').append(observed).append('}');
                threw |= observed.startsWith("\"threw\"");
                if (!observed.startsWith("\"threw\"")) {
                    for (Arg arg : call) {
                        if (arg.value() instanceof String text && !text.isEmpty()) {
                            returned.add(arg);
                        }
                    }
                }
                // up to two calls that returned different values are the points to vary around
                if (!observed.startsWith("\"threw\"") && bases.size() < 2 && !baseResults.contains(observed)) {
                    bases.add(call);
                    baseResults.add(observed);
                    if (index < maxCalls) {
                        calls = new ArrayList<>(calls);
                        calls.addAll(around(method, call));
                    }
                }
            }
            for (Arg arg : threw ? returned : List.<Arg>of()) {
                if (ACCEPTED.size() < MAX_ACCEPTED && ACCEPTED.stream().noneMatch(a -> a.source().equals(arg.source()))) {
                    ACCEPTED.add(arg);
                }
            }
        }
        out.append("],\"sequences\":[");
        first = true;
        boolean abstractType = Modifier.isAbstract(type.getModifiers());
        List<Method> instanceMethods = new ArrayList<>();
        for (Method method : methods(type)) {
            if (!Modifier.isStatic(method.getModifiers())) {
                instanceMethods.add(method);
            }
        }
        for (Executable maker : makers(type, abstractType)) {
            String factory = maker instanceof Method method ? method.getName() : null;
            List<List<Arg>> makings = argumentsFor(maker, Math.max(8, maxCalls / 2));
            // about SEQUENCE_BUDGET sequences per maker: more rounds where there are few ways
            // to make one (a constructor without parameters)
            int rounds = Math.max(SEQUENCE_ROUNDS, Math.min(5 * SEQUENCE_ROUNDS, SEQUENCE_BUDGET / Math.max(1, makings.size())));
            for (List<Arg> made : makings) {
                Object[] instance = new Object[1];
                String creation = invoke(() -> instance[0] = make(maker, values(made)), type);
                if (creation == null || instanceMethods.isEmpty() && !creation.startsWith("\"threw\"")
                        || factory != null && instance[0] == null) {
                    continue;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                String ctor = quote(sources(made)) + (factory == null ? "" : ",\"factory\":" + quote(factory));
                if (creation.startsWith("\"threw\"")) {
                    out.append("{\"ctor\":").append(ctor).append(',').append(creation).append(",\"steps\":[]}");
                    continue;
                }
                List<List<Method>> chainMethods = new ArrayList<>();
                List<List<List<Arg>>> chainCalls = new ArrayList<>();
                for (int round = 0; round < rounds && !instanceMethods.isEmpty(); round++) {
                    if (round > 0) {
                        out.append(',');
                    }
                    out.append("{\"ctor\":").append(ctor).append(",\"steps\":[");
                    Object fresh;
                    try {
                        fresh = make(maker, values(made));
                    } catch (ReflectiveOperationException | RuntimeException error) {
                        out.append("]}");
                        continue;
                    }
                    List<Method> called = new ArrayList<>();
                    List<List<Arg>> calls = new ArrayList<>();
                    List<String> seen = new ArrayList<>();
                    List<Boolean> followed = new ArrayList<>();
                    List<Arg> used = new ArrayList<>(made);
                    Object current = fresh;
                    List<Method> currentMethods = instanceMethods;
                    int firstFollow = Integer.MAX_VALUE;
                    // most rounds go on from a run of state changes an earlier round made without
                    // an exception (paid, then shipped), so that later states are reached
                    int chosen = chainMethods.isEmpty() || random.nextInt(3) == 0 ? -1 : random.nextInt(chainMethods.size());
                    List<Method> prefixMethods = chosen < 0 ? List.of() : chainMethods.get(chosen);
                    List<List<Arg>> prefixCalls = chosen < 0 ? List.of() : chainCalls.get(chosen);
                    int replayed = prefixMethods.size();
                    for (int step = 0; step < replayed + SEQUENCE_LENGTH; step++) {
                        Method method;
                        List<Arg> call;
                        if (step < replayed) {
                            method = prefixMethods.get(step);
                            call = prefixCalls.get(step);
                        } else {
                            Method drawn = currentMethods.get(random.nextInt(currentMethods.size()));
                            List<List<Arg>> options = argumentsFor(drawn, 3);
                            if (options.isEmpty()) {
                                continue;
                            }
                            method = drawn;
                            call = reuse(method, options.get(random.nextInt(options.size())), used);
                        }
                        used.addAll(call);
                        Object target = current;
                        Object[] result = new Object[1];
                        String observed = invoke(() -> result[0] = method.invoke(target, values(call)), method.getGenericReturnType());
                        if (observed == null) {
                            break;
                        }
                        called.add(method);
                        calls.add(call);
                        seen.add(observed);
                        // an object of another of the module's classes that a step returns (what a
                        // builder builds) is, half the time, what the next steps call
                        boolean follow = !observed.startsWith("\"threw\"") && followable(result[0], current)
                                && method.getReturnType() == result[0].getClass() && random.nextBoolean();
                        followed.add(follow);
                        if (follow) {
                            current = result[0];
                            currentMethods = instanceMethods(result[0].getClass());
                            firstFollow = Math.min(firstFollow, called.size() - 1);
                        }
                        // a step that throws is asserted and the sequence goes on: what a method
                        // refuses in one state it may take after the next step
                    }
                    List<Method> changes = new ArrayList<>();
                    List<List<Arg>> changeCalls = new ArrayList<>();
                    for (int index = 0; index < Math.min(called.size(), firstFollow); index++) {
                        if (seen.get(index).equals("\"void\":true") && !changes.contains(called.get(index))) {
                            changes.add(called.get(index));
                            changeCalls.add(calls.get(index));
                        }
                    }
                    if (changes.size() > prefixMethods.size() && changes.size() <= 2 * SEQUENCE_LENGTH
                            && !chainMethods.contains(changes)) {
                        if (chainMethods.size() == MAX_CHAINS) {
                            chainMethods.remove(0);
                            chainCalls.remove(0);
                        }
                        chainMethods.add(changes);
                        chainCalls.add(changeCalls);
                    }
                    List<String> again = replay(maker, made, called, calls, followed);
                    for (int index = 0; index < called.size(); index++) {
                        if (index > 0) {
                            out.append(',');
                        }
                        out.append("{\"method\":").append(quote(called.get(index).getName()));
                        out.append(",\"args\":").append(quote(sources(calls.get(index)))).append(',');
                        boolean stable = index < again.size() && seen.get(index).equals(again.get(index));
                        // what differs on a second, identical sequence (identity hashes, the clock)
                        // is called but not asserted
                        out.append(stable ? seen.get(index) : "\"unstable\":true");
                        out.append(followed.get(index) ? ",\"follow\":true}" : "}");
                    }
                    out.append("]}");
                }
            }
        }
        out.append("]}");
    }

    /** The call with, half the time for each parameter, an argument the object was made with or
     *  an earlier step took that fits it (the total a payment must match, a key put earlier). */
    private static List<Arg> reuse(Method method, List<Arg> call, List<Arg> used) {
        List<Arg> changed = new ArrayList<>(call);
        Class<?>[] types = method.getParameterTypes();
        for (int index = 0; index < types.length; index++) {
            List<Arg> fitting = new ArrayList<>();
            for (Arg arg : used) {
                if (arg.value() != null && fits(types[index], arg.value())) {
                    fitting.add(arg);
                }
            }
            if (!fitting.isEmpty() && random.nextBoolean()) {
                changed.set(index, fitting.get(random.nextInt(fitting.size())));
            }
        }
        return changed;
    }

    private static boolean fits(Class<?> type, Object value) {
        if (!type.isPrimitive()) {
            return type.isInstance(value);
        }
        return type == int.class && value instanceof Integer || type == long.class && value instanceof Long
                || type == double.class && value instanceof Double || type == boolean.class && value instanceof Boolean
                || type == char.class && value instanceof Character;
    }

    /** What each call of a sequence gives when the sequence runs again on a fresh instance. */
    private static List<String> replay(Executable maker, List<Arg> made, List<Method> called, List<List<Arg>> calls,
            List<Boolean> followed) {
        List<String> seen = new ArrayList<>();
        Object[] current = new Object[1];
        try {
            current[0] = make(maker, values(made));
        } catch (ReflectiveOperationException | RuntimeException error) {
            return seen;
        }
        for (int index = 0; index < called.size(); index++) {
            Method method = called.get(index);
            List<Arg> call = calls.get(index);
            Object target = current[0];
            Object[] result = new Object[1];
            String observed = invoke(() -> result[0] = method.invoke(target, values(call)), method.getGenericReturnType());
            if (observed == null) {
                break;
            }
            seen.add(observed);
            if (followed.get(index)) {
                if (result[0] == null) {
                    break;
                }
                current[0] = result[0];
            }
        }
        return seen;
    }

    /** Whether a step's result is an object of another of the module's visible classes with
     *  methods of its own to call (and the method declares that class, so the test's `var`
     *  has it). */
    private static boolean followable(Object result, Object current) {
        if (result == null || result.getClass() == current.getClass() || result.getClass().isEnum()) {
            return false;
        }
        Class<?> type = result.getClass();
        return type.getNestHost() == SUBJECT.getNestHost() && type.getCanonicalName() != null
                && !Modifier.isPrivate(type.getModifiers()) && !instanceMethods(type).isEmpty();
    }

    private static List<Method> instanceMethods(Class<?> type) {
        List<Method> found = new ArrayList<>();
        for (Method method : methods(type)) {
            if (!Modifier.isStatic(method.getModifiers())) {
                found.add(method);
            }
        }
        return found;
    }

    /** The visible constructors of a concrete class, then its static factories (static methods
     *  returning the class itself). */
    private static List<Executable> makers(Class<?> type, boolean abstractType) {
        List<Executable> found = new ArrayList<>();
        if (!abstractType) {
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (visible(constructor.getModifiers()) && !constructor.isSynthetic() && constructor.trySetAccessible()) {
                    found.add(constructor);
                }
            }
        }
        for (Method method : methods(type)) {
            if (Modifier.isStatic(method.getModifiers()) && method.getReturnType() == type) {
                found.add(method);
            }
        }
        return found;
    }

    private static Object make(Executable maker, Object[] args) throws ReflectiveOperationException {
        return maker instanceof Constructor<?> constructor ? constructor.newInstance(args) : ((Method) maker).invoke(null, args);
    }

    private static List<Method> methods(Class<?> type) {
        List<Method> found = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()
                    && !Modifier.isAbstract(method.getModifiers())) {
                if (method.trySetAccessible()) {
                    found.add(method);
                }
            }
        }
        found.sort((a, b) -> a.toString().compareTo(b.toString()));
        return found;
    }

    private interface Call {
        Object run() throws Exception;
    }

    /** `"value":SOURCE` / `"kind":...` / `"threw":CLASS,"message":...`; null: not observable. */
    private static String invoke(Call call, Type declared) {
        Future<Object> future = CALLS.submit(call::run);
        try {
            Object result = future.get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return observed(result, declared);
        } catch (java.util.concurrent.TimeoutException timeout) {
            future.cancel(true);
            return null;
        } catch (java.util.concurrent.ExecutionException failed) {
            Throwable cause = failed.getCause();
            while (cause instanceof InvocationTargetException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof StackOverflowError || cause instanceof OutOfMemoryError) {
                return null;
            }
            String message = cause.getMessage();
            return "\"threw\":" + quote(cause.getClass().getCanonicalName()) + ",\"message\":"
                    + (message == null ? "null" : quote(message));
        } catch (InterruptedException interrupted) {
            return null;
        }
    }

    private static String observed(Object result, Type declared) {
        if (declared == void.class) {
            return "\"void\":true";
        }
        String written = source(result, 0);
        if (written != null) {
            String kind = result != null && result.getClass().isArray() ? "array"
                    : result instanceof Double || result instanceof Float ? "floating" : "value";
            return "\"value\":" + quote(written) + ",\"compare\":" + quote(kind)
                    + ",\"type\":" + quote(typeName(declared));
        }
        if (result != null && overridesToString(result.getClass())) {
            return "\"text\":" + quote(String.valueOf(result));
        }
        return "\"kind\":" + quote(result == null ? "null" : result.getClass().getSimpleName());
    }

    private static boolean overridesToString(Class<?> type) {
        try {
            return type.getMethod("toString").getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException error) {
            return false;
        }
    }

    private static String typeName(Type type) {
        if (type instanceof Class<?> cls) {
            return cls.isArray() ? cls.getComponentType().getCanonicalName() + "[]" : String.valueOf(cls.getCanonicalName());
        }
        return type.getTypeName();
    }

    /** Java source for a value (null when it has none a test can write). */
    static String source(Object value, int depth) {
        if (depth > 3) {
            return null;
        }
        if (value == null) {
            return "null";
        }
        if (value instanceof String text) {
            return quote(text);
        }
        if (value instanceof Character c) {
            return c == '\'' ? "'\\''" : c == '\\' ? "'\\\\'" : c < 32 || c > 126 ? String.format("'\\u%04x'", (int) c) : "'" + c + "'";
        }
        if (value instanceof Integer || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Long) {
            return value + "L";
        }
        if (value instanceof Short) {
            return "(short) " + value;
        }
        if (value instanceof Byte) {
            return "(byte) " + value;
        }
        if (value instanceof Double d) {
            return d.isNaN() ? "Double.NaN" : d.isInfinite() ? (d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY") : d.toString();
        }
        if (value instanceof Float f) {
            return f.isNaN() ? "Float.NaN" : f.isInfinite() ? (f > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY") : f + "f";
        }
        if (value instanceof BigDecimal decimal) {
            return "new java.math.BigDecimal(" + quote(decimal.toString()) + ")";
        }
        if (value instanceof Enum<?> constant) {
            return constant.getDeclaringClass().getCanonicalName() + "." + constant.name();
        }
        if (value instanceof Optional<?> optional) {
            if (optional.isEmpty()) {
                return "java.util.Optional.empty()";
            }
            String inner = source(optional.get(), depth + 1);
            return inner == null ? null : "java.util.Optional.of(" + inner + ")";
        }
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object item : list) {
                String inner = item == null ? null : source(item, depth + 1);
                if (inner == null) {
                    return null;
                }
                parts.add(inner);
            }
            return "java.util.List.of(" + String.join(", ", parts) + ")";
        }
        if (value.getClass().isArray()) {
            Class<?> component = value.getClass().getComponentType();
            if (!component.isPrimitive() && component != String.class) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                parts.add(source(Array.get(value, i), depth + 1));
            }
            return "new " + component.getCanonicalName() + "[] {" + String.join(", ", parts) + "}";
        }
        if (value.getClass().isRecord() && !Modifier.isPrivate(value.getClass().getModifiers())) {
            List<String> parts = new ArrayList<>();
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                try {
                    component.getAccessor().trySetAccessible();
                    String inner = source(component.getAccessor().invoke(value), depth + 1);
                    if (inner == null) {
                        return null;
                    }
                    parts.add(inner);
                } catch (ReflectiveOperationException | RuntimeException error) {
                    return null;
                }
            }
            return "new " + value.getClass().getCanonicalName() + "(" + String.join(", ", parts) + ")";
        }
        return null;
    }

    private static List<Arg> pool(Type type, int depth) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : type instanceof Class<?> c ? c : Object.class;
        List<Arg> found = new ArrayList<>();
        if (raw == int.class || raw == Integer.class) {
            for (int v : new int[] {0, 1, -1, 2, 3, 5, 10, 100, 1000, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                found.add(new Arg(v, source(v, 0)));
            }
            for (double seed : SEED_NUMBERS) {
                if (seed == Math.rint(seed) && Math.abs(seed) < Integer.MAX_VALUE) {
                    found.add(new Arg((int) seed, source((int) seed, 0), true));
                }
            }
        } else if (raw == long.class || raw == Long.class) {
            for (long v : new long[] {0, 1, -1, 2, 10, 100, 1000, Long.MAX_VALUE}) {
                found.add(new Arg(v, source(v, 0)));
            }
            for (double seed : SEED_NUMBERS) {
                if (seed == Math.rint(seed) && Math.abs(seed) < Long.MAX_VALUE) {
                    found.add(new Arg((long) seed, source((long) seed, 0), true));
                }
            }
        } else if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            for (double v : new double[] {0.0, 1.0, -1.0, 0.5, 2.5, 10.0, 100.0, 1e9, Double.NaN, Double.POSITIVE_INFINITY}) {
                Object boxed = raw == float.class || raw == Float.class ? (Object) (float) v : (Object) v;
                found.add(new Arg(boxed, source(boxed, 0)));
            }
        } else if (raw == boolean.class || raw == Boolean.class) {
            found.add(new Arg(true, "true"));
            found.add(new Arg(false, "false"));
        } else if (raw == char.class || raw == Character.class) {
            for (char v : new char[] {'a', 'Z', '0', ' ', 'x'}) {
                found.add(new Arg(v, source(v, 0)));
            }
        } else if (raw == short.class || raw == byte.class) {
            for (int v : new int[] {0, 1, -1, 7}) {
                Object boxed = raw == short.class ? (Object) (short) v : (Object) (byte) v;
                found.add(new Arg(boxed, source(boxed, 0)));
            }
        } else if (raw == String.class || raw == CharSequence.class) {
            for (String v : new String[] {"", "a", "abc", "Hello World", " padded ", "42", "-7", "3.14", "a,b,c", "\"q\",x",
                    "IV", "MCMXCIV", "1.2.3", "1.2.3-beta", "1 + 2 * 3", "(4 - 1) / 3", "ff", "1010", "2024-01-01", "USD"}) {
                found.add(new Arg(v, quote(v)));
            }
            for (String seed : SEED_STRINGS) {
                found.add(new Arg(seed, quote(seed), true));
            }
        } else if (raw == BigDecimal.class) {
            for (String v : new String[] {"0", "1.25", "-3.5", "100", "0.005"}) {
                found.add(new Arg(new BigDecimal(v), source(new BigDecimal(v), 0)));
            }
        } else if (raw == java.time.LocalDate.class) {
            for (String v : new String[] {"2024-01-01", "2024-01-31", "2024-02-01", "2024-02-29", "2023-12-31"}) {
                found.add(new Arg(java.time.LocalDate.parse(v), "java.time.LocalDate.parse(" + quote(v) + ")"));
            }
        } else if (raw == java.time.Instant.class) {
            for (String v : new String[] {"2024-01-01T00:00:00Z", "2024-01-02T12:00:00Z", "2024-03-01T00:00:00Z"}) {
                found.add(new Arg(java.time.Instant.parse(v), "java.time.Instant.parse(" + quote(v) + ")"));
            }
        } else if (raw == java.time.Duration.class) {
            for (String v : new String[] {"PT0S", "PT1S", "PT1H", "P1D", "P30D"}) {
                found.add(new Arg(java.time.Duration.parse(v), "java.time.Duration.parse(" + quote(v) + ")"));
            }
        } else if (raw == java.time.Clock.class) {
            String at = "2024-01-01T00:00:00Z";
            found.add(new Arg(java.time.Clock.fixed(java.time.Instant.parse(at), java.time.ZoneOffset.UTC),
                    "java.time.Clock.fixed(java.time.Instant.parse(" + quote(at) + "), java.time.ZoneOffset.UTC)"));
        } else if (raw.isEnum()) {
            for (Object constant : raw.getEnumConstants()) {
                found.add(new Arg(constant, source(constant, 0)));
            }
        } else if (raw == List.class || raw == java.util.Collection.class || raw == Iterable.class) {
            Type element = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Integer.class;
            List<Arg> items = new ArrayList<>();
            for (Arg item : pool(element instanceof Class<?> ? element : Integer.class, depth + 1)) {
                if (item.value() != null) {
                    items.add(item);
                }
            }
            found.add(new Arg(List.of(), "java.util.List.of()"));
            // a one-element list, then longer ones drawn from the element's pool
            for (int size : new int[] {1, 2, 3, 4}) {
                if (items.size() < size) {
                    break;
                }
                List<Object> values = new ArrayList<>();
                List<String> sources = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    Arg item = size == 1 ? items.get(0) : items.get(random.nextInt(items.size()));
                    values.add(item.value());
                    sources.add(item.source());
                }
                found.add(new Arg(List.copyOf(values), "java.util.List.of(" + String.join(", ", sources) + ")"));
            }
        } else if (raw == Map.class && type instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] instanceof Class<?> keyType
                && p.getActualTypeArguments()[1] instanceof Class<?> valueType) {
            found.add(new Arg(Map.of(), "java.util.Map.of()"));
            List<Arg> keys = pool(keyType, depth + 1);
            List<Arg> values = pool(valueType, depth + 1);
            keys.removeIf(arg -> arg.value() == null);
            values.removeIf(arg -> arg.value() == null);
            // maps of one and two entries, keys drawn from the key pool (the class's literals first)
            for (int index = 0; index + 1 < Math.min(keys.size(), 6) && !values.isEmpty(); index++) {
                Arg key = keys.get(index);
                Arg other = keys.get(index + 1);
                Arg value = values.get(Math.min(index + 1, values.size() - 1));
                found.add(new Arg(Map.of(key.value(), value.value()),
                        "java.util.Map.of(" + key.source() + ", " + value.source() + ")", key.seeded()));
                if (!key.value().equals(other.value())) {
                    Map<Object, Object> two = new LinkedHashMap<>();
                    two.put(key.value(), value.value());
                    two.put(other.value(), values.get(0).value());
                    found.add(new Arg(Map.copyOf(two), "java.util.Map.of(" + key.source() + ", " + value.source()
                            + ", " + other.source() + ", " + values.get(0).source() + ")", key.seeded()));
                }
            }
        } else if (raw.isArray() && raw.getComponentType().isPrimitive()) {
            Object empty = Array.newInstance(raw.getComponentType(), 0);
            found.add(new Arg(empty, source(empty, 0)));
            List<Arg> items = pool(raw.getComponentType(), depth + 1);
            Object some = Array.newInstance(raw.getComponentType(), Math.min(3, items.size()));
            for (int i = 0; i < Array.getLength(some); i++) {
                Array.set(some, i, items.get(i + 1 < items.size() ? i + 1 : i).value());
            }
            found.add(new Arg(some, source(some, 0)));
        } else if (raw == Object.class) {
            found.add(new Arg(1, "1"));
            found.add(new Arg(2, "2"));
            found.add(new Arg("a", "\"a\""));
            found.add(new Arg("b", "\"b\""));
        } else if (depth < 2 && raw.getCanonicalName() != null) {
            if (raw.isInterface()) {
                found.addAll(callbacks(raw));
            }
            // its constructors and factories, and (an interface, an abstract class) those of the
            // class's own nested classes that implement it
            List<Executable> makers = new ArrayList<>(makers(raw, Modifier.isAbstract(raw.getModifiers())));
            for (Class<?> nested : SUBJECT.getDeclaredClasses()) {
                if (nested != raw && raw.isAssignableFrom(nested) && !Modifier.isPrivate(nested.getModifiers())) {
                    makers.addAll(makers(nested, Modifier.isAbstract(nested.getModifiers())));
                }
            }
            for (Executable maker : makers) {
                Class<?> owner = maker.getDeclaringClass();
                String prefix = maker instanceof Method method
                        ? owner.getCanonicalName() + "." + method.getName() + "("
                        : "new " + owner.getCanonicalName() + "(";
                for (List<Arg> made : combinations(maker, 6, depth + 1)) {
                    try {
                        Object value = make(maker, values(made));
                        if (value != null) {
                            found.add(new Arg(value, prefix + sources(made) + ")"));
                        }
                    } catch (ReflectiveOperationException | RuntimeException error) {
                        // not a usable value
                    }
                }
                if (found.size() >= 8) {
                    break;
                }
            }
        }
        found.sort((a, b) -> Boolean.compare(b.seeded(), a.seeded()));
        if (!raw.isPrimitive()) {
            found.add(new Arg(null, "(" + (raw.getCanonicalName() == null ? "Object" : raw.getCanonicalName()) + ") null"));
        }
        return found;
    }

    private static List<List<Arg>> argumentsFor(Executable executable, int count) {
        return combinations(executable, count, 0);
    }

    /** Each parameter's pool (its method's own literals first) into `pools`, and the own
     *  literals alone into `owns`; false when a parameter has no values at all. */
    private static boolean poolsFor(Executable executable, int depth, List<List<Arg>> pools, List<List<Arg>> owns) {
        String name = executable instanceof Constructor<?> ? executable.getDeclaringClass().getSimpleName() : executable.getName();
        for (Type type : executable.getGenericParameterTypes()) {
            List<Arg> pool = pool(type, depth);
            if (pool.isEmpty()) {
                return false;
            }
            // the method's own literals first (the values its own branches compare with)
            List<Arg> own = depth == 0 ? own(name, type) : List.of();
            List<Arg> merged = new ArrayList<>(own);
            for (Arg arg : pool) {
                if (own.stream().noneMatch(o -> o.source().equals(arg.source()))) {
                    merged.add(arg);
                }
            }
            pools.add(merged);
            owns.add(own);
        }
        return true;
    }

    private static List<List<Arg>> combinations(Executable executable, int count, int depth) {
        Type[] types = executable.getGenericParameterTypes();
        List<List<Arg>> pools = new ArrayList<>();
        List<List<Arg>> owns = new ArrayList<>();
        if (!poolsFor(executable, depth, pools, owns)) {
            return List.of();
        }
        Map<String, List<Arg>> found = new LinkedHashMap<>();
        if (types.length == 0) {
            found.put("", List.of());
        }
        int walking = count / 2;
        int total = count;
        for (int attempt = 0; found.size() < total && attempt < total * 5 && types.length > 0; attempt++) {
            List<Arg> call = new ArrayList<>();
            // the first calls walk each parameter in turn through its pool (the method's and
            // the class's own literals first) while the others are drawn; the rest are all drawn
            int walked = attempt % pools.size();
            int step = attempt / pools.size();
            for (int index = 0; index < pools.size(); index++) {
                List<Arg> pool = pools.get(index);
                List<Arg> own = owns.get(index);
                boolean walk = attempt < walking && index == walked && step < pool.size();
                Arg drawn = !own.isEmpty() && random.nextInt(5) < 2 ? own.get(random.nextInt(own.size())) : draw(pool);
                if (!ACCEPTED.isEmpty() && pool.get(0).value() instanceof String && random.nextInt(10) < 3) {
                    drawn = ACCEPTED.get(random.nextInt(ACCEPTED.size()));
                }
                call.add(walk ? pool.get(step) : drawn);
            }
            found.putIfAbsent(sources(call), call);
        }
        return new ArrayList<>(found.values());
    }

    /** Calls one value away from `base` (a call that returned): each parameter in turn through
     *  the first AROUND values of its pool while the others keep theirs, so each branch a single
     *  value decides is tried from a point where the others are valid. */
    private static List<List<Arg>> around(Executable executable, List<Arg> base) {
        List<List<Arg>> found = new ArrayList<>();
        List<List<Arg>> pools = new ArrayList<>();
        List<List<Arg>> owns = new ArrayList<>();
        if (!poolsFor(executable, 0, pools, owns)) {
            return found;
        }
        for (int index = 0; index < pools.size(); index++) {
            for (Arg value : pools.get(index).subList(0, Math.min(AROUND, pools.get(index).size()))) {
                List<Arg> call = new ArrayList<>(base);
                call.set(index, value);
                found.add(call);
            }
        }
        return found;
    }

    /** The single abstract method of a functional interface, or null. */
    private static Method functionalMethod(Class<?> type) {
        Method found = null;
        for (Method method : type.getMethods()) {
            if (!Modifier.isAbstract(method.getModifiers())) {
                continue;
            }
            try {
                Object.class.getMethod(method.getName(), method.getParameterTypes());
                continue;  // equals, hashCode, toString restated
            } catch (NoSuchMethodException notObjects) {
                if (found != null) {
                    return null;
                }
                found = method;
            }
        }
        return found;
    }

    /** For a functional interface, lambdas a test can write and proxies that behave as they do:
     *  one returning a plain value of the method's type (two for booleans and numbers) and one
     *  throwing IllegalStateException. */
    private static List<Arg> callbacks(Class<?> type) {
        Method sam = functionalMethod(type);
        List<Arg> found = new ArrayList<>();
        if (sam == null) {
            return found;
        }
        int count = sam.getParameterCount();
        String params = count == 1 ? "a" : "(" + String.join(", ", List.of("a", "b", "c", "d", "e").subList(0, Math.min(count, 5))) + ")";
        if (count > 5) {
            return found;
        }
        Class<?> returns = sam.getReturnType();
        List<Object> results = new ArrayList<>();
        if (returns == void.class) {
            results.add(null);
        } else if (returns == boolean.class || returns == Boolean.class) {
            results.add(true);
            results.add(false);
        } else if (returns == int.class || returns == Integer.class) {
            results.add(0);
            results.add(1);
        } else if (returns == long.class || returns == Long.class) {
            results.add(0L);
            results.add(1000L);
        } else if (returns == double.class || returns == Double.class) {
            results.add(0.0);
            results.add(1.0);
        } else if (returns == String.class) {
            results.add("a");
        } else if (!returns.isPrimitive()) {
            results.add(null);
        }
        String cast = "(" + type.getCanonicalName() + ") ";
        for (Object result : results) {
            String body = returns == void.class ? "{}" : source(result, 0);
            found.add(new Arg(proxy(type, sam, result, false), cast + params + " -> " + body));
        }
        found.add(new Arg(proxy(type, sam, null, true),
                cast + params + " -> { throw new IllegalStateException(\"callback failed\"); }"));
        return found;
    }

    private static Object proxy(Class<?> type, Method sam, Object result, boolean fails) {
        return java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (method.getName().equals(sam.getName()) && method.getParameterCount() == sam.getParameterCount()) {
                if (fails) {
                    throw new IllegalStateException("callback failed");
                }
                return result;
            }
            return switch (method.getName()) {
                case "equals" -> self == args[0];
                case "hashCode" -> System.identityHashCode(self);
                case "toString" -> "callback";
                default -> java.lang.reflect.InvocationHandler.invokeDefault(self, method, args);
            };
        });
    }

    /** The literals of the method `name` that are values of `type`. */
    private static List<Arg> own(String name, Type type) {
        List<Arg> found = new ArrayList<>();
        Class<?> raw = type instanceof Class<?> c ? c : Object.class;
        if (raw == String.class || raw == CharSequence.class) {
            for (String text : OWN_STRINGS.getOrDefault(name, List.of())) {
                found.add(new Arg(text, quote(text), true));
            }
        }
        for (double number : OWN_NUMBERS.getOrDefault(name, List.of())) {
            boolean whole = number == Math.rint(number);
            if ((raw == int.class || raw == Integer.class) && whole && Math.abs(number) < Integer.MAX_VALUE) {
                found.add(new Arg((int) number, source((int) number, 0), true));
            } else if ((raw == long.class || raw == Long.class) && whole) {
                found.add(new Arg((long) number, source((long) number, 0), true));
            } else if (raw == double.class || raw == Double.class) {
                found.add(new Arg(number, source(number, 0), true));
            }
        }
        return found;
    }

    /** One of the pool's values: half the time one of the class's own literals, when it has any
     *  (the values its branches compare with), else any. */
    private static Arg draw(List<Arg> pool) {
        List<Arg> seeded = new ArrayList<>();
        for (Arg arg : pool) {
            if (arg.seeded()) {
                seeded.add(arg);
            }
        }
        if (!seeded.isEmpty() && random.nextBoolean()) {
            return seeded.get(random.nextInt(seeded.size()));
        }
        Arg drawn = pool.get(random.nextInt(pool.size()));
        // null (last in every pool of objects) one time in five only: one null argument
        // makes most calls fail the same way
        if (drawn.value() == null && pool.size() > 1 && random.nextInt(5) > 0) {
            drawn = pool.get(random.nextInt(pool.size() - 1));
        }
        return drawn;
    }

    private static Object[] values(List<Arg> call) {
        Object[] values = new Object[call.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = call.get(i).value();
        }
        return values;
    }

    private static String sources(List<Arg> call) {
        List<String> parts = new ArrayList<>();
        for (Arg arg : call) {
            parts.add(arg.source());
        }
        return String.join(", ", parts);
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 32 || c > 126) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
