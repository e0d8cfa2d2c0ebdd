/*
 * atg's mutation harness: runs each mutant of the module, compiled beforehand into a folder of
 * its own, against the tests that covered its line, all in one JVM inside the sandbox, and prints
 * its records on standard output, each after the key it was given.
 *
 * Usage: java -cp HARNESS:JUNIT:JACOCOCLI atg.harness.AtgMutationRunner CONFIG.properties
 *
 * CONFIG keys: key (the records' prefix), module.classes and test.classes (directories of the
 * original's class files), class.path (optional, as for AtgJUnitRunner: loaded after them),
 * mutants (a file: first `all TAB node id TAB node id ...`, the tests
 * mutants may run, then `test TAB time limit in ms TAB node id` for each test with a time limit of
 * its own, then one line per mutant: `id TAB time limit in ms TAB time limit of its second run in
 * ms TAB directory of the mutant's class files TAB node id TAB node id ...`),
 * control.limit.ms, timeout.ms (per test, JUnit's default timeout in a separate thread),
 * exit.guard (true: System.exit and Runtime.halt from tests throw instead).
 *
 * First the control: the tests any mutant needs run once on the original classes; this gives each
 * node id its JUnit unique id (a parametrized test's invocations are only known once it runs),
 * and a test that does not pass here is used for no mutant (the record names it). Then, for each
 * mutant in order: a fresh class loader over the mutant's class files and the test classes (the
 * mutant replaces the module, static state starts fresh), JUnit runs exactly the mutant's tests
 * (selected by unique id) in a thread of its own, and the first test that fails kills the mutant:
 * the tests after it are skipped. A mutant that survives its own tests runs a second time, in a
 * fresh class loader again, against the other tests of `all`: JaCoCo does not count a line whose
 * call threw (a test asserting an exception does not cover the call it went through), and a test
 * that did not run the mutated code cannot kill it anyway, so the second run only makes up for
 * what the coverage did not see. A mutant still running at its time limit, or one of whose tests
 * is still running at that test's own time limit, is a timeout. After every run, the threads it
 * started and left running are stopped (`Thread.stop`, JDK 17 to 19) before the next mutant runs.
 * When they will not stop (JDK 20 and later), the harness prints its end record marked `stuck`
 * and halts: the host goes on with the remaining mutants in a new JVM.
 *
 * Records, in this order: `{"control": ...}`, one `{"id": ...}` per mutant as soon as it has its
 * verdict (killed, survived, timeout, or error when none of its tests could run; `second`: the
 * verdict came from the second run), then
 * `{"end": true, ...}`. A JVM that dies leaves the end record out, and the host knows from the
 * records which mutant was running then. Test output goes to standard error, cut after a limit.
 */
package atg.harness;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

public final class AtgMutationRunner {
    /** Why the tests after a mutant's first failure are skipped. */
    static final String KILLED = "atg: the mutant is killed already";
    /** Why the control skips an invocation of a parametrized test no mutant needs. */
    static final String NOT_NEEDED = "atg: no mutant needs it";
    static final long STOP_GRACE_MS = 2000;
    /** How often a mutant's run is checked against its tests' own time limits. */
    static final long POLL_MS = 10;

    /** The run JUnit is executing for a mutant (read by AtgJUnitRunner.SkipStopped). */
    static volatile Judge current;

    enum Ending { FINISHED, STOPPED, STUCK }

    private AtgMutationRunner() {}

    public static void main(String[] args) throws Exception {
        PrintStream channel =
                new PrintStream(new FileOutputStream(FileDescriptor.out), false, "UTF-8");
        PrintStream testOutput = new PrintStream(
                new AtgJUnitRunner.CappedStream(System.err, AtgJUnitRunner.TEST_OUTPUT_LIMIT), true, "UTF-8");
        System.setOut(testOutput);
        System.setErr(testOutput);
        Properties config = new Properties();
        try (InputStream in = new FileInputStream(args[0])) {
            config.load(in);
        }
        String key = config.getProperty("key");
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        AtgJUnitRunner.ExitGuard guard = null;
        String error = null;
        boolean stuck = false;
        try {
            if (Boolean.parseBoolean(config.getProperty("exit.guard", "true"))) {
                guard = AtgJUnitRunner.ExitGuard.install(notes);
            }
            stuck = new AtgMutationRunner.Session(config, channel, key).run();
        } catch (Throwable failure) {
            error = AtgJUnitRunner.failureText(failure);
        }
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("end", true);
        end.put("stuck", stuck);
        end.put("notes", new ArrayList<>(notes));
        end.put("error", error);
        emit(channel, key, end);
        if (guard != null) {
            guard.open = true;
        }
        Runtime.getRuntime().halt(0); // threads a mutant left spinning must not keep the JVM up
    }

    static synchronized void emit(PrintStream channel, String key, Map<String, Object> record) {
        channel.print(key);
        channel.print(AtgJUnitRunner.Json.write(record));
        channel.print('\n');
        channel.flush();
    }

    /** One mutant as the host listed it. */
    static final class Mutant {
        final String id;
        final long limitMs;
        final long secondLimitMs;
        final Path classes;
        final List<String> tests;

        Mutant(String line) {
            String[] parts = line.split("\t");
            id = parts[0];
            limitMs = Long.parseLong(parts[1]);
            secondLimitMs = Long.parseLong(parts[2]);
            classes = Paths.get(parts[3]);
            tests = Arrays.asList(parts).subList(4, parts.length);
        }
    }

    static final class Session {
        final PrintStream channel;
        final String key;
        final Path moduleDir;
        final Path testDir;
        final List<URL> classPath;
        final long timeoutMs;
        final long controlLimitMs;
        final List<Mutant> mutants = new ArrayList<>();
        final List<String> all = new ArrayList<>();
        final Map<String, Long> testLimitsMs = new TreeMap<>();
        Launcher launcher = LauncherFactory.create();

        Session(Properties config, PrintStream channel, String key) throws Exception {
            this.channel = channel;
            this.key = key;
            moduleDir = Paths.get(config.getProperty("module.classes"));
            testDir = Paths.get(config.getProperty("test.classes"));
            classPath = AtgJUnitRunner.classPath(config.getProperty("class.path", ""));
            timeoutMs = Long.parseLong(config.getProperty("timeout.ms", "10000"));
            controlLimitMs = Long.parseLong(config.getProperty("control.limit.ms", "60000"));
            for (String line : Files.readAllLines(Paths.get(config.getProperty("mutants")), StandardCharsets.UTF_8)) {
                if (line.startsWith("all\t")) {
                    List<String> parts = Arrays.asList(line.split("\t"));
                    all.addAll(parts.subList(1, parts.size()));
                } else if (line.startsWith("test\t")) {
                    String[] parts = line.split("\t", 3);
                    testLimitsMs.put(parts[2], Long.parseLong(parts[1]));
                } else if (!line.isEmpty()) {
                    mutants.add(new Mutant(line));
                }
            }
        }

        /** The control, then every mutant; true when a mutant's threads would not stop. */
        boolean run() throws Exception {
            Set<String> needed = new LinkedHashSet<>(all);
            for (Mutant mutant : mutants) {
                needed.addAll(mutant.tests);
            }
            Map<String, String> uniqueIds = new TreeMap<>();
            Map<String, Object> control = control(needed, uniqueIds);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("control", control);
            emit(channel, key, record);
            if (Ending.STUCK.name().equals(control.get("ending"))) {
                return true;
            }
            for (Mutant mutant : mutants) {
                List<DiscoverySelector> selectors = selectors(mutant.tests, uniqueIds);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("id", Long.parseLong(mutant.id));
                long start = System.nanoTime();
                Ending ending = Ending.FINISHED;
                if (selectors.isEmpty()) {
                    result.put("status", "error");
                    result.put("reason", "none of its tests passed in the control run");
                } else {
                    Judge judge = new Judge(true);
                    judge.limits = testLimitsMs;
                    ending = execute(selectors, mutant.classes, judge, mutant.limitMs);
                    judge.verdict(result, ending, selectors.size());
                    List<String> others = new ArrayList<>(all);
                    others.removeAll(mutant.tests);
                    List<DiscoverySelector> more = selectors(others, uniqueIds);
                    if ("survived".equals(result.get("status")) && !more.isEmpty()) {
                        judge = new Judge(true);
                        judge.limits = testLimitsMs;
                        ending = execute(more, mutant.classes, judge, mutant.secondLimitMs);
                        result.clear();
                        result.put("id", Long.parseLong(mutant.id));
                        judge.verdict(result, ending, more.size());
                        result.put("second", true);
                    }
                }
                result.put("duration_s", (System.nanoTime() - start) / 1e9);
                emit(channel, key, result);
                if (ending == Ending.STUCK) {
                    return true;
                }
            }
            return false;
        }

        static List<DiscoverySelector> selectors(List<String> nodeids, Map<String, String> uniqueIds) {
            List<DiscoverySelector> selectors = new ArrayList<>();
            for (String nodeid : nodeids) {
                String uniqueId = uniqueIds.get(nodeid);
                if (uniqueId != null) {
                    selectors.add(DiscoverySelectors.selectUniqueId(uniqueId));
                }
            }
            return selectors;
        }

        /** Discovery over the original names the tests; the needed ones run once on it. */
        Map<String, Object> control(Set<String> needed, Map<String, String> uniqueIds) throws Exception {
            Map<String, String> known = new TreeMap<>();
            List<DiscoverySelector> selectors = new ArrayList<>();
            try (URLClassLoader loader = loader(moduleDir)) {
                LauncherDiscoveryRequestBuilder discovery = LauncherDiscoveryRequestBuilder.request();
                for (String name : AtgJUnitRunner.readClasses(testDir).keySet()) {
                    if (!AtgJUnitRunner.isAnonymousOrLocal(name)) {
                        try {
                            discovery.selectors(DiscoverySelectors.selectClass(Class.forName(name, false, loader)));
                        } catch (Throwable unloadable) {
                            // not a test the instrumented run could have run either
                        }
                    }
                }
                ClassLoader previous = Thread.currentThread().getContextClassLoader();
                Thread.currentThread().setContextClassLoader(loader);
                TestPlan plan;
                try {
                    plan = launcher.discover(configured(discovery).build());
                } finally {
                    Thread.currentThread().setContextClassLoader(previous);
                }
                for (TestIdentifier root : plan.getRoots()) {
                    for (TestIdentifier id : plan.getDescendants(root)) {
                        known.put(AtgJUnitRunner.nodeId(id.getUniqueIdObject()), id.getUniqueId());
                    }
                }
            }
            Set<String> bases = new LinkedHashSet<>();
            List<String> missing = new ArrayList<>();
            for (String nodeid : needed) {
                String base = baseOf(nodeid);
                String uniqueId = known.get(base);
                if (uniqueId == null) {
                    missing.add(nodeid);
                } else if (bases.add(uniqueId)) {
                    selectors.add(DiscoverySelectors.selectUniqueId(uniqueId));
                }
            }
            Judge judge = new Judge(false);
            judge.wanted = new HashSet<>();
            for (String nodeid : needed) {
                for (int at = nodeid.indexOf(']'); at >= 0; at = nodeid.indexOf(']', at + 1)) {
                    judge.wanted.add(nodeid.substring(0, at + 1));
                }
            }
            long start = System.nanoTime();
            Ending ending = selectors.isEmpty()
                    ? Ending.FINISHED
                    : execute(selectors, moduleDir, judge, controlLimitMs);
            Map<String, Object> failed = new TreeMap<>();
            for (String nodeid : needed) {
                String outcome = judge.outcomes.get(nodeid);
                if ("passed".equals(outcome)) {
                    uniqueIds.put(nodeid, judge.uniqueIds.get(nodeid));
                } else if (!missing.contains(nodeid)) {
                    failed.put(nodeid, outcome == null ? "did not run" : outcome);
                }
            }
            Map<String, Object> control = new LinkedHashMap<>();
            control.put("ending", ending.name());
            control.put("failed", failed);
            control.put("missing", missing);
            control.put("duration_s", (System.nanoTime() - start) / 1e9);
            return control;
        }

        /** `ClampTest::clamps(int)` for `ClampTest::clamps(int)[2]`: the test discovery knows. */
        static String baseOf(String nodeid) {
            int cut = nodeid.length();
            while (cut > 0 && nodeid.charAt(cut - 1) == ']') {
                int open = nodeid.lastIndexOf('[', cut - 1);
                if (open <= 0) {
                    break;
                }
                cut = open;
            }
            return nodeid.substring(0, cut);
        }

        URLClassLoader loader(Path moduleClasses) throws Exception {
            URL[] urls = AtgJUnitRunner.urls(moduleClasses, testDir, classPath);
            return new URLClassLoader(urls, AtgMutationRunner.class.getClassLoader());
        }

        LauncherDiscoveryRequestBuilder configured(LauncherDiscoveryRequestBuilder request) {
            return request
                    .configurationParameter("junit.jupiter.execution.timeout.default", timeoutMs + " ms")
                    .configurationParameter(
                            "junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                    .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                    .configurationParameter("junit.platform.stacktrace.pruning.enabled", "true");
        }

        /** JUnit runs `selectors` with `moduleClasses` in a fresh class loader, in a thread of its
         * own that is stopped at `limitMs`, with every thread it started. */
        @SuppressWarnings({"deprecation", "removal"})
        Ending execute(List<DiscoverySelector> selectors, Path moduleClasses, Judge judge, long limitMs)
                throws Exception {
            try (URLClassLoader loader = loader(moduleClasses)) {
                LauncherDiscoveryRequest request =
                        configured(LauncherDiscoveryRequestBuilder.request().selectors(selectors)).build();
                Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
                Launcher runner = launcher;
                Thread worker = new Thread(() -> {
                    try {
                        runner.execute(request, judge);
                    } catch (Throwable escaped) {
                        judge.aborted(escaped);
                    }
                }, "atg-mutant");
                worker.setDaemon(true);
                worker.setContextClassLoader(loader);
                current = judge;
                try {
                    worker.start();
                    long deadline = System.nanoTime() + Math.max(1, limitMs) * 1_000_000;
                    while (worker.isAlive() && System.nanoTime() < deadline) {
                        long left = (deadline - System.nanoTime()) / 1_000_000;
                        worker.join(Math.max(1, Math.min(POLL_MS, left)));
                        if (judge.limits != null && judge.overran()) {
                            break;
                        }
                    }
                    boolean late = worker.isAlive();
                    if (late) {
                        judge.stop();
                    }
                    // the mutant's run, JUnit's timeout threads and whatever the tests started and
                    // left running (a mutated loop in a background thread would spin on through
                    // every later mutant): none outlives the run
                    if (!stopAll(before)) {
                        return Ending.STUCK;
                    }
                    if (late) {
                        launcher = LauncherFactory.create(); // the stopped one may be mid-execution
                        return Ending.STOPPED;
                    }
                    return Ending.FINISHED;
                } finally {
                    current = null;
                }
            }
        }
    }

    /** Stops the threads not in `before` (again and again for a grace period: a thread may catch
     * what `Thread.stop` throws); false when some are still alive then. */
    static boolean stopAll(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + STOP_GRACE_MS * 1_000_000;
        while (true) {
            if (!anyAlive(before)) {
                return true;
            }
            AtgJUnitRunner.stopNewThreads(before);
            Thread.sleep(20);
            if (System.nanoTime() > deadline) {
                return !anyAlive(before);
            }
        }
    }

    static boolean anyAlive(Set<Thread> before) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(thread) && thread != Thread.currentThread() && thread.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** JUnit's events for one run: each test's verdict, and the first that did not pass. */
    static final class Judge implements TestExecutionListener {
        final boolean stopAtFirstFailure;
        final Map<String, String> outcomes = new LinkedHashMap<>();
        final Map<String, String> uniqueIds = new LinkedHashMap<>();
        final Map<String, TestIdentifier> running = new LinkedHashMap<>();
        TestPlan plan;
        /** The node id of the first test that failed (errors and timeouts included). */
        String killedBy;
        /** That failure was JUnit's own per-test timeout. */
        boolean timedOut;
        /** Time limits of single tests by node id (none in the control). */
        Map<String, Long> limits;
        /** The test running now (its node id) and since when (nanoTime). */
        String runningTest;
        long runningSince;
        /** In the control: the node ids of the invocations needed (and of their containers). */
        Set<String> wanted;
        /** The host stopped the run: what JUnit reports after is the stopping, not the tests. */
        boolean stopped;
        volatile boolean killed;

        Judge(boolean stopAtFirstFailure) {
            this.stopAtFirstFailure = stopAtFirstFailure;
        }

        @Override
        public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public synchronized void executionStarted(TestIdentifier id) {
            if (!stopped && id.isTest()) {
                running.put(id.getUniqueId(), id);
                runningTest = AtgJUnitRunner.nodeId(id.getUniqueIdObject());
                runningSince = System.nanoTime();
            }
        }

        /** Whether the test running now is past its own time limit. */
        synchronized boolean overran() {
            Long limit = runningTest == null ? null : limits.get(runningTest);
            return limit != null && (System.nanoTime() - runningSince) / 1_000_000 > limit;
        }

        @Override
        public synchronized void executionSkipped(TestIdentifier id, String reason) {
            if (stopped || KILLED.equals(reason) || NOT_NEEDED.equals(reason)) {
                return;
            }
            if (id.isTest()) {
                record(id, "skipped");
            } else if (plan != null) {
                for (TestIdentifier test : plan.getDescendants(id)) {
                    if (test.isTest()) {
                        record(test, "skipped");
                    }
                }
            }
        }

        @Override
        public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (stopped) {
                return;
            }
            Throwable error = result.getThrowable().orElse(null);
            boolean timeout = error != null && AtgJUnitRunner.isTimeout(error);
            String outcome;
            switch (result.getStatus()) {
                case SUCCESSFUL:
                    outcome = "passed";
                    break;
                case ABORTED:
                    outcome = "skipped";
                    break;
                default:
                    outcome = timeout ? "timeout" : "failed";
            }
            if (id.isTest()) {
                running.remove(id.getUniqueId());
                runningTest = null;
                record(id, outcome);
                if (!outcome.equals("passed") && !outcome.equals("skipped")) {
                    failed(AtgJUnitRunner.nodeId(id.getUniqueIdObject()), timeout);
                }
            } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                // a class or lifecycle method failed: its tests have no verdict of their own
                String blamed = null;
                if (plan != null) {
                    for (TestIdentifier test : plan.getDescendants(id)) {
                        if (test.isTest() && !outcomes.containsKey(AtgJUnitRunner.nodeId(test.getUniqueIdObject()))) {
                            String nodeid = record(test, "error");
                            blamed = blamed == null ? nodeid : blamed;
                        }
                    }
                }
                failed(blamed != null ? blamed : AtgJUnitRunner.nodeId(id.getUniqueIdObject()), timeout);
            }
        }

        String record(TestIdentifier id, String outcome) {
            String nodeid = AtgJUnitRunner.nodeId(id.getUniqueIdObject());
            outcomes.putIfAbsent(nodeid, outcome);
            uniqueIds.putIfAbsent(nodeid, id.getUniqueId());
            return nodeid;
        }

        void failed(String nodeid, boolean timeout) {
            if (killedBy == null) {
                killedBy = nodeid;
                timedOut = timeout;
            }
            if (stopAtFirstFailure) {
                killed = true;
            }
        }

        /** An error escaped JUnit (it lets an OutOfMemoryError end the execution): the tests
         * running then failed with it. */
        synchronized void aborted(Throwable escaped) {
            if (stopped) {
                return;
            }
            for (TestIdentifier id : new ArrayList<>(running.values())) {
                failed(record(id, "failed"), false);
            }
            running.clear();
            if (killedBy == null) {
                failed("", false);
            }
        }

        /** Whether `uniqueId` names an invocation of a parametrized test no mutant needs. */
        boolean unwanted(String uniqueId) {
            if (wanted == null) {
                return false;
            }
            String nodeid = AtgJUnitRunner.nodeId(UniqueId.parse(uniqueId));
            return nodeid.endsWith("]") && !wanted.contains(nodeid);
        }

        synchronized void stop() {
            stopped = true;
        }

        synchronized void verdict(Map<String, Object> result, Ending ending, int selected) {
            if (ending != Ending.FINISHED) {
                result.put("status", "timeout");
                result.put("killed_by", running.isEmpty()
                        ? null
                        : AtgJUnitRunner.nodeId(running.values().iterator().next().getUniqueIdObject()));
            } else if (killedBy != null) {
                result.put("status", timedOut ? "timeout" : "killed");
                result.put("killed_by", killedBy.isEmpty() ? null : killedBy);
            } else if (outcomes.size() < selected) {
                result.put("status", "error");
                result.put("reason", (selected - outcomes.size()) + " of its " + selected
                        + " tests did not run");
            } else {
                result.put("status", "survived");
            }
        }
    }
}
