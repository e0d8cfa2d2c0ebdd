/*
 * atg's Java harness: runs one compiled test file through the JUnit Platform Launcher inside the
 * sandbox, once with per-test JaCoCo coverage and then `reruns` more times, and prints one JSON
 * report on standard output after a key it was given.
 *
 * Usage: java -javaagent:jacocoagent.jar=output=none,includes=... -cp HARNESS:JUNIT:JACOCOCLI
 *            atg.harness.AtgJUnitRunner CONFIG.properties
 *
 * CONFIG keys: key (the report's prefix), module.classes and test.classes (directories of class
 * files: the module's, which coverage analyzes, and the test file's, whose classes JUnit runs),
 * class.path (optional: what else the tests load, directories and jars separated by the path
 * separator, after those two: a project's own classes and its dependencies), reruns, timeout.ms (per test, JUnit's default timeout in a separate thread),
 * exit.guard (true: System.exit and Runtime.halt from tests throw instead).
 *
 * Test and module classes are loaded by a fresh class loader in every run, so each run starts
 * with fresh static state, as a new JVM would; the JaCoCo agent instruments only the module's
 * classes (its `includes`). Coverage: before and after each test the agent's execution data is
 * taken and reset; each test's own data is analyzed with JaCoCo's analyzer over the module's class
 * files (the same code JaCoCo's CLI reports with), and the merged data of the whole instrumented
 * run gives the file's totals. Test output (System.out, System.err) goes to standard error, cut
 * after a limit; standard output carries only the report.
 */
package atg.harness;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Permission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jacoco.agent.rt.IAgent;
import org.jacoco.agent.rt.RT;
import org.jacoco.cli.internal.core.analysis.Analyzer;
import org.jacoco.cli.internal.core.analysis.CoverageBuilder;
import org.jacoco.cli.internal.core.analysis.ICounter;
import org.jacoco.cli.internal.core.analysis.ILine;
import org.jacoco.cli.internal.core.analysis.ISourceFileCoverage;
import org.jacoco.cli.internal.core.data.ExecutionDataReader;
import org.jacoco.cli.internal.core.data.ExecutionDataStore;
import org.jacoco.cli.internal.core.data.ExecutionDataWriter;
import org.jacoco.cli.internal.core.data.SessionInfo;
import org.jacoco.cli.internal.core.data.SessionInfoStore;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

public final class AtgJUnitRunner {
    /** Why the reruns skip a test: the instrumented run had to stop it at its time limit. */
    static final String STOPPED = "atg: stopped at its time limit in the instrumented run";
    /** Why a test is skipped when JUnit runs the file again after an aborted execution. */
    static final String DONE = "atg: has its verdict from before the execution was aborted";
    static final int MAX_ATTEMPTS = 20;

    /** The run JUnit is executing (read by SkipStopped). */
    static volatile Run current;

    static final int FAILURE_TEXT_LIMIT = 4000;
    static final int FAILURE_LINES = 20;
    static final int TEST_OUTPUT_LIMIT = 256 * 1024;
    static final long WATCHDOG_GRACE_MS = 5000;

    /** Unique ids of tests and containers the instrumented run stopped (read by SkipStopped). */
    static final Set<String> stopped = ConcurrentHashMap.newKeySet();

    private AtgJUnitRunner() {}

    public static void main(String[] args) throws Exception {
        PrintStream channel =
                new PrintStream(new FileOutputStream(FileDescriptor.out), false, "UTF-8");
        PrintStream testOutput =
                new PrintStream(new CappedStream(System.err, TEST_OUTPUT_LIMIT), true, "UTF-8");
        System.setOut(testOutput);
        System.setErr(testOutput);
        Properties config = new Properties();
        try (InputStream in = new FileInputStream(args[0])) {
            config.load(in);
        }
        Session session = new Session(config.getProperty("key"), channel);
        try {
            Path moduleDir = Paths.get(config.getProperty("module.classes"));
            Path testDir = Paths.get(config.getProperty("test.classes"));
            int reruns = Integer.parseInt(config.getProperty("reruns", "0"));
            long timeoutMs = Long.parseLong(config.getProperty("timeout.ms", "10000"));
            Map<String, byte[]> moduleClasses = readClasses(moduleDir);
            List<String> testClasses = new ArrayList<>(readClasses(testDir).keySet());
            List<URL> classPath = classPath(config.getProperty("class.path", ""));
            IAgent agent = agent(session.notes);
            if (Boolean.parseBoolean(config.getProperty("exit.guard", "true"))) {
                session.guard = ExitGuard.install(session.notes);
            }
            session.coverage = agent == null ? null : new Coverage(agent, moduleClasses);
            session.watch(3 * timeoutMs + WATCHDOG_GRACE_MS);
            for (int index = 0; index <= reruns; index++) {
                Run run = new Run(session, index == 0 ? session.coverage : null, index > 0);
                synchronized (session) {
                    session.runs.add(run);
                }
                execute(run, urls(moduleDir, testDir, classPath), testClasses, timeoutMs);
                if (index == 0) {
                    stopped.addAll(run.stoppedIds);
                }
                if (agent != null) {
                    agent.reset();
                }
            }
        } catch (Throwable error) {
            synchronized (session) {
                session.error = failureText(error);
            }
        }
        session.emit();
    }

    /** What the JVM has measured so far, and the one way out: `emit` prints it and halts. */
    static final class Session {
        final String key;
        final PrintStream channel;
        final List<String> notes = Collections.synchronizedList(new ArrayList<>());
        final List<Run> runs = new ArrayList<>();
        Coverage coverage;
        ExitGuard guard;
        String error;
        /** When a JUnit event last came (nanoTime): the watchdog's measure of progress. */
        volatile long lastEvent = System.nanoTime();

        Session(String key, PrintStream channel) {
            this.key = key;
            this.channel = channel;
        }

        /** A test that outlives JUnit's own timeout (a @Timeout of its own, a lifecycle method
         * that never returns in the same thread) ends the whole session: what was measured until
         * then is reported, that test as a timeout, the tests after it not at all. */
        void watch(long limitMs) {
            Thread watchdog = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException interrupted) {
                        // only the harness's own halt ends the watchdog
                    }
                    if ((System.nanoTime() - lastEvent) / 1_000_000 > limitMs) {
                        synchronized (this) {
                            Run run = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                            if (run != null) {
                                run.stuck(limitMs);
                            }
                            notes.add("a test ran past " + limitMs + " ms without an end: "
                                    + "the run stopped there, later tests did not run");
                            emit();
                        }
                    }
                }
            }, "atg-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }

        synchronized void emit() {
            Map<String, Object> report = new LinkedHashMap<>();
            List<Object> runsJson = new ArrayList<>();
            for (Run run : runs) {
                runsJson.add(run.toJson());
            }
            report.put("runs", runsJson);
            try {
                if (coverage != null && error == null) {
                    report.put("coverage", coverage.toJson());
                }
            } catch (Throwable failure) {
                error = failureText(failure);
            }
            if (error != null) {
                report.put("error", error);
            }
            report.put("notes", new ArrayList<>(notes));
            channel.print(key);
            channel.print(Json.write(report));
            channel.flush();
            if (guard != null) {
                guard.open = true;
            }
            Runtime.getRuntime().halt(0); // threads a test left spinning must not keep the JVM up
        }
    }

    static IAgent agent(List<String> notes) {
        try {
            return RT.getAgent();
        } catch (IllegalStateException | NoClassDefFoundError error) {
            notes.add("the JaCoCo agent is not running: no coverage");
            return null;
        }
    }

    /** Class files below `root` by binary name, anonymous and local classes included. */
    static Map<String, byte[]> readClasses(Path root) throws IOException {
        Map<String, byte[]> classes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.collect(Collectors.toList())) {
                String name = root.relativize(file).toString();
                if (name.endsWith(".class")) {
                    String binary = name.substring(0, name.length() - 6).replace(File.separatorChar, '.');
                    classes.put(binary, Files.readAllBytes(file));
                }
            }
        }
        return classes;
    }

    /** The entries of a class path (the path separator between them), empty ones left out. */
    static List<URL> classPath(String text) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String entry : text.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(Paths.get(entry).toUri().toURL());
            }
        }
        return urls;
    }

    /** The module's and the test file's class folders first (they win), then the class path. */
    static URL[] urls(Path moduleDir, Path testDir, List<URL> classPath) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(moduleDir.toUri().toURL());
        urls.add(testDir.toUri().toURL());
        urls.addAll(classPath);
        return urls.toArray(new URL[0]);
    }

    static void execute(Run run, URL[] urls, List<String> testClasses, long timeoutMs)
            throws Exception {
        ClassLoader parent = AtgJUnitRunner.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls, parent)) {
            thread.setContextClassLoader(loader);
            LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
            for (String name : testClasses) {
                if (isAnonymousOrLocal(name)) {
                    continue;
                }
                try {
                    request.selectors(DiscoverySelectors.selectClass(Class.forName(name, false, loader)));
                } catch (Throwable error) {
                    run.errors.add(error(simpleName(name), "cannot load " + name + ": " + failureText(error)));
                }
            }
            request.configurationParameter("junit.jupiter.execution.timeout.default", timeoutMs + " ms")
                    .configurationParameter(
                            "junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                    .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                    .configurationParameter("junit.platform.stacktrace.pruning.enabled", "true")
                    .listeners(run.discovery());
            Launcher launcher = LauncherFactory.create();
            LauncherDiscoveryRequest built = request.build();
            current = run;
            for (int attempt = 1; ; attempt++) {
                try {
                    launcher.execute(built, run);
                    break;
                } catch (Throwable escaped) {
                    // JUnit lets an OutOfMemoryError end the whole execution: the test running
                    // then failed, and the run goes on with the tests that have no verdict yet
                    boolean blamed = run.aborted(escaped);
                    if (!blamed || attempt == MAX_ATTEMPTS) {
                        throw escaped;
                    }
                }
            }
        } finally {
            current = null;
            thread.setContextClassLoader(previous);
        }
    }

    static boolean isAnonymousOrLocal(String binaryName) {
        String[] parts = binaryName.split("\\$");
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isEmpty() || Character.isDigit(parts[i].charAt(0))) {
                return true;
            }
        }
        return false;
    }

    static String simpleName(String className) {
        String last = className.substring(className.lastIndexOf('.') + 1);
        return last.replace('$', '.');
    }

    /** `ClampTest::clamps(int)[2]` from JUnit's unique id (see the adapter's docstring). */
    static String nodeId(UniqueId id) {
        StringBuilder out = new StringBuilder();
        for (UniqueId.Segment segment : id.getSegments()) {
            String type = segment.getType();
            String value = segment.getValue();
            if (type.equals("engine")) {
                continue;
            }
            if (value.startsWith("#")) {
                out.append('[').append(value.substring(1)).append(']');
                continue;
            }
            String name;
            if (type.equals("class") || type.equals("runner")) {
                name = simpleName(value);
            } else if (type.equals("test") && value.contains("(")) { // JUnit 4: name(Class)
                name = value.substring(0, value.indexOf('(')) + "()";
            } else {
                name = value;
            }
            if (out.length() > 0) {
                out.append("::");
            }
            out.append(name);
        }
        return out.toString();
    }

    static Map<String, Object> error(String nodeid, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("nodeid", nodeid);
        error.put("message", message);
        return error;
    }

    /** The exception's own lines, the frames that name no test framework, and its causes. */
    static String failureText(Throwable error) {
        StringBuilder out = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Throwable current = error;
        String prefix = "";
        while (current != null && seen.add(current) && out.length() < FAILURE_TEXT_LIMIT) {
            String[] lines = String.valueOf(current).split("\n", -1);
            for (int i = 0; i < Math.min(lines.length, FAILURE_LINES); i++) {
                out.append(i == 0 ? prefix : "").append(lines[i]).append('\n');
            }
            int frames = 0;
            for (StackTraceElement frame : current.getStackTrace()) {
                String cls = frame.getClassName();
                if (cls.startsWith("org.junit.") || cls.startsWith("java.") || cls.startsWith("jdk.")
                        || cls.startsWith("sun.") || cls.startsWith("atg.harness.")) {
                    continue;
                }
                out.append("\tat ").append(frame).append('\n');
                if (++frames == 5) {
                    break;
                }
            }
            current = current.getCause();
            prefix = "Caused by: ";
        }
        String text = out.toString().trim();
        return text.length() > FAILURE_TEXT_LIMIT ? text.substring(0, FAILURE_TEXT_LIMIT) : text;
    }

    static boolean isTimeout(Throwable error) {
        return error instanceof TimeoutException
                && String.valueOf(error.getMessage()).contains("timed out after");
    }

    /** One run of the test file: JUnit's events turned into per-test verdicts (and coverage). */
    static final class Run implements TestExecutionListener {
        final Session session;
        final Coverage coverage;
        final boolean rerun;
        final Map<String, Map<String, Object>> tests = new LinkedHashMap<>();
        final List<Object> errors = new ArrayList<>();
        final List<String> issues = new ArrayList<>();
        final Set<String> stoppedIds = new HashSet<>();
        /** Unique ids of the tests that have their verdict in this run. */
        final Set<String> done = ConcurrentHashMap.newKeySet();
        final Map<String, Long> started = new ConcurrentHashMap<>();
        final Map<String, TestIdentifier> running = new LinkedHashMap<>();
        final Map<String, Set<Thread>> threadsBefore = new ConcurrentHashMap<>();
        TestPlan plan;

        Run(Session session, Coverage coverage, boolean rerun) {
            this.session = session;
            this.coverage = coverage;
            this.rerun = rerun;
        }

        LauncherDiscoveryListener discovery() {
            return new LauncherDiscoveryListener() {
                @Override
                public void issueEncountered(UniqueId engine, DiscoveryIssue issue) {
                    if (issue.severity() != DiscoveryIssue.Severity.INFO) {
                        issues.add(issue.severity() + ": " + issue.message());
                    }
                }
            };
        }

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            synchronized (session) {
                session.lastEvent = System.nanoTime();
                started(id);
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            synchronized (session) {
                session.lastEvent = System.nanoTime();
                skipped(id, reason);
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            synchronized (session) {
                session.lastEvent = System.nanoTime();
                finished(id, result);
            }
        }

        /** An error escaped JUnit's execution: the tests running then failed with it. False when
         * no test was running (nothing to blame, nothing to skip when resuming). */
        boolean aborted(Throwable escaped) {
            synchronized (session) {
                session.lastEvent = System.nanoTime();
                String text = failureText(escaped);
                boolean any = false;
                for (TestIdentifier id : new ArrayList<>(running.values())) {
                    running.remove(id.getUniqueId());
                    Long start = started.remove(id.getUniqueId());
                    double duration = start == null ? 0.0 : (System.nanoTime() - start) / 1e9;
                    String nodeid = record(id, "failed", duration, text);
                    if (coverage != null) {
                        coverage.collect(nodeid);
                    }
                    any = true;
                }
                return any;
            }
        }

        /** The test running (or the container being set up) when the watchdog ended the JVM. */
        void stuck(long limitMs) {
            String text = "atg: no end after " + limitMs + " ms (JUnit's timeout did not stop it)";
            boolean any = false;
            for (TestIdentifier id : new ArrayList<>(running.values())) {
                String nodeid = record(id, "timeout", limitMs / 1000.0, text);
                if (coverage != null) {
                    coverage.collect(nodeid);
                }
                any = true;
            }
            if (!any) {
                errors.add(error("", text));
            }
        }

        void started(TestIdentifier id) {
            threadsBefore.put(id.getUniqueId(), Thread.getAllStackTraces().keySet());
            if (!id.isTest()) {
                return;
            }
            if (coverage != null) {
                coverage.collect(null); // what ran between tests counts for the file only
            }
            started.put(id.getUniqueId(), System.nanoTime());
            running.put(id.getUniqueId(), id);
        }

        void skipped(TestIdentifier id, String reason) {
            if (STOPPED.equals(reason) || DONE.equals(reason)) {
                return; // not run again: it would only reach its time limit again, or has a verdict
            }
            if (id.isTest()) {
                record(id, "skipped", 0.0, reason);
            } else if (plan != null) {
                for (TestIdentifier test : plan.getDescendants(id)) {
                    if (test.isTest() && !done.contains(test.getUniqueId())) {
                        record(test, "skipped", 0.0, reason);
                    }
                }
            }
        }

        void finished(TestIdentifier id, TestExecutionResult result) {
            Throwable error = result.getThrowable().orElse(null);
            boolean timedOut = error != null && isTimeout(error);
            if (timedOut) {
                stoppedIds.add(id.getUniqueId());
                stopNewThreads(threadsBefore.get(id.getUniqueId()));
            }
            threadsBefore.remove(id.getUniqueId());
            if (!id.isTest()) {
                if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                    containerFailed(id, error);
                }
                return;
            }
            running.remove(id.getUniqueId());
            Long start = started.remove(id.getUniqueId());
            double duration = start == null ? 0.0 : (System.nanoTime() - start) / 1e9;
            String outcome;
            switch (result.getStatus()) {
                case SUCCESSFUL:
                    outcome = "passed";
                    break;
                case ABORTED:
                    outcome = "skipped";
                    break;
                default:
                    outcome = timedOut ? "timeout" : "failed";
            }
            String nodeid = record(id, outcome, duration, error == null ? null : failureText(error));
            if (coverage != null) {
                coverage.collect(nodeid);
            }
        }

        void containerFailed(TestIdentifier id, Throwable error) {
            String message = error == null ? "failed" : failureText(error);
            boolean any = false;
            if (plan != null) {
                for (TestIdentifier test : plan.getDescendants(id)) {
                    if (test.isTest() && !done.contains(test.getUniqueId())) {
                        record(test, "error", 0.0, message);
                        any = true;
                    }
                }
            }
            if (!any) {
                errors.add(error(nodeId(id.getUniqueIdObject()), message));
            }
        }

        String record(TestIdentifier id, String outcome, double duration, String failure) {
            String nodeid = nodeId(id.getUniqueIdObject());
            done.add(id.getUniqueId());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("outcome", outcome);
            entry.put("duration_s", duration);
            entry.put("failure", failure);
            tests.put(nodeid, entry);
            return nodeid;
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tests", tests);
            json.put("errors", errors);
            json.put("issues", issues);
            return json;
        }
    }

    /** Threads a timed-out test started (JUnit's timeout thread among them) are stopped. */
    @SuppressWarnings({"deprecation", "removal"})
    static void stopNewThreads(Set<Thread> before) {
        if (before == null) {
            return;
        }
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(thread) && thread != Thread.currentThread() && thread.isAlive()) {
                try {
                    thread.stop();
                } catch (Throwable unsupported) {
                    // Thread.stop throws on JDK 20+: such a thread spins on until the JVM halts
                }
            }
        }
    }

    /** Skips, in the reruns, what the instrumented run had to stop at its time limit, in an
     * execution resumed after an abort, the tests that already have their verdict, and in a
     * mutant's run (`AtgMutationRunner`), the tests after the first one that failed. */
    public static final class SkipStopped implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            AtgMutationRunner.Judge judge = AtgMutationRunner.current;
            if (judge != null && judge.killed) {
                return ConditionEvaluationResult.disabled(AtgMutationRunner.KILLED);
            }
            if (judge != null && judge.unwanted(context.getUniqueId())) {
                return ConditionEvaluationResult.disabled(AtgMutationRunner.NOT_NEEDED);
            }
            Run run = current;
            String id = context.getUniqueId();
            if (run != null && run.rerun && stopped.contains(id)) {
                return ConditionEvaluationResult.disabled(STOPPED);
            }
            if (run != null && run.done.contains(id)) {
                return ConditionEvaluationResult.disabled(DONE);
            }
            return ConditionEvaluationResult.enabled("atg");
        }
    }

    /** Per-test and merged JaCoCo data of the instrumented run, analyzed over the module. */
    static final class Coverage {
        final IAgent agent;
        final Map<String, byte[]> moduleClasses;
        final ExecutionDataStore merged = new ExecutionDataStore();
        final Map<String, Object> perTest = new LinkedHashMap<>();

        Coverage(IAgent agent, Map<String, byte[]> moduleClasses) {
            this.agent = agent;
            this.moduleClasses = moduleClasses;
        }

        /** Take (and reset) the agent's data: the test's own when `nodeid` is given. */
        void collect(String nodeid) {
            ExecutionDataStore store = new ExecutionDataStore();
            try {
                read(agent.getExecutionData(true), store);
                store.accept(merged::put);
                if (nodeid != null) {
                    perTest.put(nodeid, testJson(analyze(store)));
                }
            } catch (IOException error) {
                throw new IllegalStateException(error);
            }
        }

        static void read(byte[] data, ExecutionDataStore store) throws IOException {
            ExecutionDataReader reader = new ExecutionDataReader(new ByteArrayInputStream(data));
            reader.setExecutionDataVisitor(store);
            reader.setSessionInfoVisitor(new SessionInfoStore());
            reader.read();
        }

        List<ISourceFileCoverage> analyze(ExecutionDataStore store) throws IOException {
            CoverageBuilder builder = new CoverageBuilder();
            Analyzer analyzer = new Analyzer(store, builder);
            for (Map.Entry<String, byte[]> entry : moduleClasses.entrySet()) {
                analyzer.analyzeClass(entry.getValue(), entry.getKey());
            }
            return new ArrayList<>(builder.getSourceFiles());
        }

        static Map<String, Object> testJson(List<ISourceFileCoverage> files) {
            List<Integer> lines = new ArrayList<>();
            List<List<Integer>> branches = new ArrayList<>();
            for (ISourceFileCoverage file : files) {
                for (int nr = file.getFirstLine(); nr >= 0 && nr <= file.getLastLine(); nr++) {
                    ILine line = file.getLine(nr);
                    int status = line.getStatus();
                    if (status == ICounter.PARTLY_COVERED || status == ICounter.FULLY_COVERED) {
                        lines.add(nr);
                        int covered = line.getBranchCounter().getCoveredCount();
                        if (covered > 0) {
                            branches.add(List.of(nr, covered));
                        }
                    }
                }
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("lines", lines);
            json.put("branches", branches);
            return json;
        }

        Map<String, Object> toJson() throws IOException {
            List<Object> files = new ArrayList<>();
            for (ISourceFileCoverage file : analyze(merged)) {
                List<List<Integer>> lines = new ArrayList<>();
                for (int nr = file.getFirstLine(); nr >= 0 && nr <= file.getLastLine(); nr++) {
                    ILine line = file.getLine(nr);
                    if (line.getStatus() == ICounter.EMPTY) {
                        continue;
                    }
                    ICounter instructions = line.getInstructionCounter();
                    ICounter branches = line.getBranchCounter();
                    lines.add(List.of(nr, instructions.getMissedCount(), instructions.getCoveredCount(),
                            branches.getMissedCount(), branches.getCoveredCount()));
                }
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("name", file.getName());
                json.put("package", file.getPackageName());
                json.put("lines", lines);
                json.put("line_counter", counter(file.getLineCounter()));
                json.put("branch_counter", counter(file.getBranchCounter()));
                files.add(json);
            }
            ByteArrayOutputStream exec = new ByteArrayOutputStream();
            ExecutionDataWriter writer = new ExecutionDataWriter(exec);
            writer.visitSessionInfo(new SessionInfo("atg", 0L, System.currentTimeMillis()));
            merged.accept(writer);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("files", files);
            json.put("per_test", perTest);
            json.put("exec", Base64.getEncoder().encodeToString(exec.toByteArray()));
            return json;
        }

        static List<Integer> counter(ICounter counter) {
            return List.of(counter.getMissedCount(), counter.getCoveredCount());
        }
    }

    /** Makes System.exit and Runtime.halt from test code throw; allows everything else. */
    @SuppressWarnings({"deprecation", "removal"})
    static final class ExitGuard extends SecurityManager {
        volatile boolean open;

        static ExitGuard install(List<String> notes) {
            ExitGuard guard = new ExitGuard();
            try {
                System.setSecurityManager(guard);
                return guard;
            } catch (Throwable unsupported) {
                notes.add("System.exit in a test ends the run: this JDK allows no security manager");
                return null;
            }
        }

        @Override
        public void checkPermission(Permission permission) {
            if (open || !(permission instanceof RuntimePermission)) {
                return;
            }
            String name = permission.getName();
            if (name.startsWith("exitVM")) {
                throw new SecurityException("atg: a test may not end the JVM (System.exit)");
            }
            if (name.equals("setSecurityManager")) {
                throw new SecurityException("atg: a test may not replace the security manager");
            }
        }

        @Override
        public void checkPermission(Permission permission, Object context) {
            checkPermission(permission);
        }
    }

    /** Passes the first `limit` bytes to `out`, then one notice, then nothing. */
    static final class CappedStream extends OutputStream {
        final OutputStream out;
        long left;

        CappedStream(OutputStream out, long limit) {
            this.out = out;
            this.left = limit;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return;
            }
            int n = (int) Math.min(len, left);
            out.write(b, off, n);
            left -= n;
            if (left <= 0) {
                out.write("\n[test output cut]\n".getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    /** Just enough JSON: maps, lists, strings, numbers, booleans and null. */
    static final class Json {
        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof String) {
                string((String) value, out);
            } else if (value instanceof Double) {
                double d = (Double) value;
                out.append(Double.isFinite(d) ? Double.toString(d) : "0");
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else if (value instanceof Map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof Iterable) {
                out.append('[');
                boolean first = true;
                for (Object item : (Iterable<?>) value) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(item, out);
                }
                out.append(']');
            } else {
                string(String.valueOf(value), out);
            }
        }

        static void string(String text, StringBuilder out) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    out.append(c).append(text.charAt(++i));
                } else if (Character.isSurrogate(c)) {
                    out.append("\\ufffd"); // a lone half of a pair is no character
                } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        }
    }
}
