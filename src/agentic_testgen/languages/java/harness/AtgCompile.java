/*
 * Runs javac several times in one JVM (one JVM start instead of one per compilation).
 *
 * Usage: java -cp HARNESS atg.harness.AtgCompile ARGS... [--then ARGS...]...
 * Each ARGS is a javac command line; they run in order and the first that fails stops the rest.
 * javac's messages go to standard output as javac prints them; the exit status is 0 when all
 * compiled, else the (1-based) number of the compilation that failed.
 */
package atg.harness;

import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

public final class AtgCompile {
    private AtgCompile() {}

    public static void main(String[] args) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            System.out.println("error: this Java runtime has no compiler (a JDK is needed)");
            System.exit(100);
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
}
