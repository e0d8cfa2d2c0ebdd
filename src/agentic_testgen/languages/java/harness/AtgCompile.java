/*
 * Runs javac several times in one JVM (one JVM start instead of one per compilation).
 *
 * Usage: java -cp HARNESS atg.harness.AtgCompile ARGS... [--then ARGS...]...
 * Each ARGS is a javac command line; they run in order and the first that fails stops the rest.
 * javac's messages go to standard output as javac prints them; the exit status is 0 when all
 * compiled, else the (1-based) number of the compilation that failed.
 *
 * Usage: java [--add-exports jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED] -cp HARNESS
 *            atg.harness.AtgCompile --mutants LIST OPTIONS...
 * Compiles each mutant of a module on its own: LIST has one line per mutant, `id TAB source file
 * TAB output directory`, and OPTIONS are the javac options for all (no -d: each mutant's output
 * directory is its own). One compiler and one file manager serve every mutant, so the JDK's
 * class files are opened once and javac runs warm after the first few. With the export above,
 * the compilations go through javac's own task pool (`JavacTaskPool`, what JShell compiles its
 * snippets with): each reuses the compiler context of the one before, whose symbols of the JDK's
 * classes are already read, about three times faster per mutant than a new task each (the class
 * files are the same). A reused context is not always sound (JDK 17's javac crashes on some
 * records in one), so a mutant the pool does not compile is compiled again in a new task, whose
 * verdict is the mutant's. Prints one line per mutant, `id TAB ok` or `id TAB error TAB javac's first
 * error on one line`; the exit status is 0 unless LIST cannot be read.
 */
package atg.harness;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DiagnosticListener;
import javax.tools.JavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

public final class AtgCompile {
    static final int MESSAGE_LIMIT = 300;

    private AtgCompile() {}

    public static void main(String[] args) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            System.out.println("error: this Java runtime has no compiler (a JDK is needed)");
            System.exit(100);
        }
        if (args.length >= 2 && args[0].equals("--mutants")) {
            mutants(javac, Paths.get(args[1]), Arrays.asList(args).subList(2, args.length));
            System.out.flush();
            System.exit(0);
        }
        List<List<String>> steps = new ArrayList<>();
        steps.add(new ArrayList<>());
        for (String arg : args) {
            if (arg.equals("--then")) {
                steps.add(new ArrayList<>());
            } else {
                steps.get(steps.size() - 1).add(arg);
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            int status = javac.run(null, System.out, System.out, steps.get(i).toArray(new String[0]));
            System.out.flush();
            if (status != 0) {
                System.exit(i + 1);
            }
        }
        System.exit(0);
    }

    static void mutants(JavaCompiler javac, Path list, List<String> options) throws IOException {
        StandardJavaFileManager files =
                javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        TaskPool pool = TaskPool.open();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            String[] parts = line.split("\t");
            if (parts.length != 3) {
                continue;
            }
            String id = parts[0];
            String verdict;
            try {
                File output = new File(parts[2]);
                Files.createDirectories(output.toPath());
                files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(output));
                DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
                Iterable<? extends JavaFileObject> sources = files.getJavaFileObjects(new File(parts[1]));
                boolean ok = false;
                if (pool != null) {
                    try {
                        ok = pool.compile(files, diagnostics, options, sources);
                    } catch (RuntimeException crashed) {
                        ok = false;
                    }
                }
                if (!ok) { // a mutant the pool refuses is compiled again from scratch (see above)
                    diagnostics = new DiagnosticCollector<>();
                    ok = javac.getTask(null, files, diagnostics, options, null, sources).call();
                }
                verdict = ok ? "ok" : "error\t" + firstError(diagnostics);
            } catch (RuntimeException | IOException failure) {
                verdict = "error\t" + oneLine(String.valueOf(failure));
            }
            System.out.println(id + "\t" + verdict);
        }
    }

    /** javac's JavacTaskPool, reached by reflection (the harness is built against the public
     * API only); null when this JVM does not export it to atg. */
    static final class TaskPool {
        final Object pool;
        final Method getTask;
        final Object worker;

        TaskPool(Object pool, Method getTask, Object worker) {
            this.pool = pool;
            this.getTask = getTask;
            this.worker = worker;
        }

        static TaskPool open() {
            try {
                Class<?> poolClass = Class.forName("com.sun.tools.javac.api.JavacTaskPool");
                Class<?> workerClass = Class.forName("com.sun.tools.javac.api.JavacTaskPool$Worker");
                Method getTask = poolClass.getMethod("getTask", Writer.class, JavaFileManager.class,
                        DiagnosticListener.class, Iterable.class, Iterable.class, Iterable.class, workerClass);
                Object worker = Proxy.newProxyInstance(AtgCompile.class.getClassLoader(),
                        new Class<?>[] {workerClass}, (proxy, method, args) -> {
                            if (method.getName().equals("withTask")) {
                                return ((JavaCompiler.CompilationTask) args[0]).call();
                            }
                            throw new UnsupportedOperationException(method.getName());
                        });
                return new TaskPool(poolClass.getConstructor(int.class).newInstance(1), getTask, worker);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
                return null;
            }
        }

        boolean compile(StandardJavaFileManager files, DiagnosticCollector<JavaFileObject> diagnostics,
                List<String> options, Iterable<? extends JavaFileObject> sources) {
            try {
                return (Boolean) getTask.invoke(pool, null, files, diagnostics, options, null, sources, worker);
            } catch (InvocationTargetException failure) {
                Throwable cause = failure.getCause();
                throw cause instanceof RuntimeException ? (RuntimeException) cause
                        : new IllegalStateException(cause);
            } catch (IllegalAccessException failure) {
                throw new IllegalStateException(failure);
            }
        }
    }

    static String firstError(DiagnosticCollector<JavaFileObject> diagnostics) {
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
                return "line " + diagnostic.getLineNumber() + ": "
                        + oneLine(diagnostic.getMessage(Locale.ROOT));
            }
        }
        return "javac failed";
    }

    static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() > MESSAGE_LIMIT ? line.substring(0, MESSAGE_LIMIT) : line;
    }
}
