package atg.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version: parse, compare with pre-release precedence, bump, and match simple ranges
 * (^1.2.0, ~1.4.1, >=1.0.0 <2.0.0).
 */
public record SemanticVersion(int major, int minor, int patch, List<String> prerelease)
        implements Comparable<SemanticVersion> {
    private static final Pattern VERSION =
            Pattern.compile(
                    "v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                            + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z.-]+)?");
    private static final Pattern COMPARATOR = Pattern.compile("(>=|<=|>|<|=|\\^|~)?(.+)");

    public SemanticVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must not be negative");
        }
        prerelease = List.copyOf(prerelease);
    }

    public static SemanticVersion parse(String text) {
        Matcher match = text == null ? null : VERSION.matcher(text.strip());
        if (match == null || !match.matches()) {
            throw new IllegalArgumentException("invalid version: " + text);
        }
        List<String> pre =
                match.group(4) == null ? List.of() : List.of(match.group(4).split("\\."));
        return new SemanticVersion(
                Integer.parseInt(match.group(1)),
                Integer.parseInt(match.group(2)),
                Integer.parseInt(match.group(3)),
                pre);
    }

    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    @Override
    public int compareTo(SemanticVersion other) {
        int order = Integer.compare(major, other.major);
        if (order == 0) {
            order = Integer.compare(minor, other.minor);
        }
        if (order == 0) {
            order = Integer.compare(patch, other.patch);
        }
        if (order != 0) {
            return order;
        }
        if (prerelease.isEmpty() || other.prerelease.isEmpty()) {
            // a pre-release comes before its release
            return Integer.compare(other.prerelease.size(), prerelease.size());
        }
        for (int i = 0; i < Math.min(prerelease.size(), other.prerelease.size()); i++) {
            int identifiers = compareIdentifiers(prerelease.get(i), other.prerelease.get(i));
            if (identifiers != 0) {
                return identifiers;
            }
        }
        return Integer.compare(prerelease.size(), other.prerelease.size());
    }

    private static int compareIdentifiers(String a, String b) {
        boolean aNumeric = a.chars().allMatch(Character::isDigit);
        boolean bNumeric = b.chars().allMatch(Character::isDigit);
        if (aNumeric && bNumeric) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1; // numeric identifiers sort first
        }
        return Integer.signum(a.compareTo(b));
    }

    public SemanticVersion bump(String part) {
        return switch (part) {
            case "major" -> new SemanticVersion(major + 1, 0, 0, List.of());
            case "minor" -> new SemanticVersion(major, minor + 1, 0, List.of());
            case "patch" -> new SemanticVersion(major, minor, patch + 1, List.of());
            default -> throw new IllegalArgumentException("unknown part: " + part);
        };
    }

    /**
     * Whether every space-separated comparator of range holds. A pre-release matches only when the
     * range names a pre-release of the same major.minor.patch.
     */
    public boolean satisfies(String range) {
        List<SemanticVersion> bounds = new ArrayList<>();
        boolean all = true;
        for (String token : range.strip().split("\\s+")) {
            if (token.equals("*")) {
                continue;
            }
            Matcher match = COMPARATOR.matcher(token);
            match.matches();
            String operator = match.group(1) == null ? "=" : match.group(1);
            SemanticVersion bound = parse(match.group(2));
            bounds.add(bound);
            int order = compareTo(bound);
            all &=
                    switch (operator) {
                        case ">=" -> order >= 0;
                        case "<=" -> order <= 0;
                        case ">" -> order > 0;
                        case "<" -> order < 0;
                        case "=" -> order == 0;
                        case "^" -> order >= 0 && compareTo(bound.caretLimit()) < 0;
                        default -> order >= 0 && compareTo(bound.tildeLimit()) < 0;
                    };
        }
        if (isPrerelease()) {
            all &=
                    bounds.stream()
                            .anyMatch(
                                    b ->
                                            b.isPrerelease()
                                                    && b.major == major
                                                    && b.minor == minor
                                                    && b.patch == patch);
        }
        return all;
    }

    /** The first version a ~ range excludes: the next minor, before its pre-releases. */
    private SemanticVersion tildeLimit() {
        return new SemanticVersion(major, minor + 1, 0, List.of("0"));
    }

    /** The first version a ^ range excludes: the left-most non-zero part bumped. */
    private SemanticVersion caretLimit() {
        if (major > 0) {
            return new SemanticVersion(major + 1, 0, 0, List.of("0"));
        }
        if (minor > 0) {
            return new SemanticVersion(0, minor + 1, 0, List.of("0"));
        }
        return new SemanticVersion(0, 0, patch + 1, List.of("0"));
    }

    @Override
    public String toString() {
        String base = major + "." + minor + "." + patch;
        return prerelease.isEmpty() ? base : base + "-" + String.join(".", prerelease);
    }
}
