package org.edgeq.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the NVIDIA libraries behind the jextract bindings ({@code org.edgeq.bindings.*}) by soname at run time.
 *
 * <p>The bindings are generated without {@code --library}, so their symbol lookup is the class loader's: a binding
 * class loads on any machine, and a call resolves only once the library has been loaded here. A soname is turned into
 * the absolute path {@link System#load} needs by opening it with the dynamic loader, finding one of its symbols and
 * asking {@code dladdr} which file holds it. Every outcome is remembered, so {@link #load} is cheap after the first call.
 * Load before the first downcall: a binding called while its library is absent fails to initialise for the rest of the JVM.
 */
public final class CudaLibraries {

    /** One library: the sonames tried in order of preference and a symbol every one of them exports. */
    public record Library(String name, String probeSymbol, List<String> sonames) {
        public Library {
            if (sonames.isEmpty()) throw new IllegalArgumentException("library " + name + " needs at least one soname");
            sonames = List.copyOf(sonames);
        }

        /** The sonames as a person reads them: {@code libcublasLt.so.13/.12/.11}. */
        public String sonameList() {
            StringBuilder s = new StringBuilder(sonames.getFirst());
            for (String other : sonames.subList(1, sonames.size())) {
                int dot = other.lastIndexOf(".so.");
                s.append('/').append(dot >= 0 ? other.substring(dot + 3) : other);
            }
            return s.toString();
        }
    }

    public static final Library CUDART = new Library("CUDA runtime", "cudaGetDeviceCount",
            List.of("libcudart.so.13", "libcudart.so.12"));
    public static final Library CUBLASLT = new Library("cuBLASLt", "cublasLtCreate",
            List.of("libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so.11"));
    public static final Library NVML = new Library("NVML", "nvmlInit_v2", List.of("libnvidia-ml.so.1"));

    /** What {@link #load} found: a loaded file, or why none of the sonames could be used. */
    public sealed interface Status {
        Library library();

        /** Loaded from {@code path}, found under {@code soname}. */
        record Loaded(Library library, String soname, Path path) implements Status {
        }

        /** Not usable; {@code reason} names every soname tried and the loader's message for the preferred one. */
        record Missing(Library library, String reason) implements Status {
        }
    }

    private static final Map<Library, Status> LOADED = new ConcurrentHashMap<>();

    private CudaLibraries() {
    }

    /** Loads {@code library} into this class loader (once) so the bindings can call it; never throws. */
    public static Status load(Library library) {
        return LOADED.computeIfAbsent(library, CudaLibraries::loadFirstAvailable);
    }

    /** The loaded status of {@code library}, or an exception whose message says which sonames were missing. */
    public static Status.Loaded require(Library library) {
        return switch (load(library)) {
            case Status.Loaded loaded -> loaded;
            case Status.Missing missing -> throw new IllegalStateException(missing.reason());
        };
    }

    private static Status loadFirstAvailable(Library library) {
        String firstFailure = null;
        for (String soname : library.sonames()) {
            try {
                Path path = pathOf(soname, library.probeSymbol());
                System.load(path.toString());
                return new Status.Loaded(library, soname, path);
            } catch (IllegalArgumentException e) {
                // libraryLookup could not open it: the loader's own message says why (file missing, wrong ELF class...).
                if (firstFailure == null) firstFailure = LoaderMessage.whyNotLoadable(soname).orElse(e.getMessage());
            } catch (IllegalStateException | UnsatisfiedLinkError e) {
                if (firstFailure == null) firstFailure = e.getMessage();
            }
        }
        return new Status.Missing(library, library.sonameList() + " not found (" + library.name() + "): " + firstFailure);
    }

    /** The file the dynamic loader opens for {@code soname}, found through the address of {@code symbol} in it. */
    private static Path pathOf(String soname, String symbol) {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup lookup = SymbolLookup.libraryLookup(soname, arena);
            MemorySegment address = lookup.find(symbol).orElseThrow(
                    () -> new IllegalStateException(soname + " has no symbol " + symbol));
            MemorySegment info = arena.allocate(DL_INFO);
            int found;
            try {
                found = (int) dladdr().invokeExact(address, info);
            } catch (Throwable t) {
                throw new IllegalStateException("dladdr failed for " + soname, t);
            }
            MemorySegment fileName = info.get(ValueLayout.ADDRESS, 0);
            if (found == 0 || fileName.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("dladdr cannot name the file of " + soname);
            }
            return Path.of(fileName.reinterpret(4096).getString(0));
        }
    }

    /** glibc's {@code Dl_info}: file name, base address, symbol name, symbol address. */
    private static final MemoryLayout DL_INFO = MemoryLayout.structLayout(
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS);

    /** Resolved per use, not in a static initializer, so a libc without dladdr makes a library Missing, not this class unusable. */
    private static MethodHandle dladdr() {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find("dladdr")
                .orElseThrow(() -> new IllegalStateException("the C library has no dladdr"));
        return linker.downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    }

    /** The loader's lookup, exposed for tests that check a loaded library is visible to the bindings. */
    static Optional<MemorySegment> findLoaded(String symbol) {
        return SymbolLookup.loaderLookup().find(symbol);
    }
}
