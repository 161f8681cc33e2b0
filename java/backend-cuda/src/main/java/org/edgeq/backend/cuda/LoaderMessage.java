package org.edgeq.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The dynamic loader's own reason a shared library cannot be opened. The JDK's {@link SymbolLookup#libraryLookup}
 * only says "Cannot open library"; the exact reason (file missing, wrong ELF class, missing dependency) comes from
 * {@code dlerror}, so on failure the loader is asked again through FFM.
 */
final class LoaderMessage {
    private static final int RTLD_LAZY = 0x1;

    private LoaderMessage() {
    }

    /** dlopen + dlerror on the calling thread (dlerror's state is per thread); empty when libc offers neither. */
    static Optional<String> whyNotLoadable(String soname) {
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
                return Optional.of(soname + ": the loader opens it, but the JDK could not");
            }
            MemorySegment message = (MemorySegment) dlerror.invokeExact();
            if (message.equals(MemorySegment.NULL)) return Optional.empty();
            return Optional.of(message.reinterpret(4096).getString(0));
        } catch (Throwable t) {
            return Optional.empty();
        }
    }
}
