package org.edgeq.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Tells whether a shared library can be loaded here and, if not, the dynamic loader's own reason. The JDK's
 * {@link SymbolLookup#libraryLookup} only says "cannot open library"; the exact reason (file missing, wrong ELF
 * class, missing dependency) comes from {@code dlerror}, so on failure the probe asks the loader again through FFM.
 */
public final class NativeLibraryProbe {

    /** The outcome for one library: loadable, or the reason it is not. */
    public record Result(String soname, boolean loadable, String reason) {
        public String describe() {
            return loadable ? "loadable" : "missing: " + reason;
        }
    }

    private static final int RTLD_LAZY = 0x1;

    private NativeLibraryProbe() {
    }

    public static Result probe(String soname) {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(soname, arena);
            return new Result(soname, true, "");
        } catch (IllegalArgumentException e) {
            return new Result(soname, false, loaderReason(soname).orElse(Main.oneLine(e.getMessage())));
        }
    }

    /** The first of {@code sonames} that loads, else the result of the first one (the preferred version). */
    public static Result probeAny(String... sonames) {
        Result first = null;
        for (String s : sonames) {
            Result r = probe(s);
            if (r.loadable()) return r;
            if (first == null) first = r;
        }
        return first;
    }

    /** dlopen + dlerror on the calling thread (dlerror's state is per thread); empty when libc offers neither. */
    static Optional<String> loaderReason(String soname) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Optional<MemorySegment> open = libc.find("dlopen");
        Optional<MemorySegment> error = libc.find("dlerror");
        Optional<MemorySegment> close = libc.find("dlclose");
        if (open.isEmpty() || error.isEmpty() || close.isEmpty()) return Optional.empty();
        MethodHandle dlopen = linker.downcallHandle(open.get(), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle dlerror = linker.downcallHandle(error.get(), FunctionDescriptor.of(ValueLayout.ADDRESS));
        MethodHandle dlclose = linker.downcallHandle(close.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) dlopen.invokeExact(arena.allocateFrom(soname), RTLD_LAZY);
            if (!handle.equals(MemorySegment.NULL)) {
                int ignored = (int) dlclose.invokeExact(handle);
                return Optional.of("the loader opens it, but the JDK could not");
            }
            MemorySegment message = (MemorySegment) dlerror.invokeExact();
            if (message.equals(MemorySegment.NULL)) return Optional.empty();
            return Optional.of(message.reinterpret(4096).getString(0));
        } catch (Throwable t) {
            return Optional.empty();
        }
    }
}
