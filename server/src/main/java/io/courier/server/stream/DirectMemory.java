package io.courier.server.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Gives a direct buffer's memory back now, not when a garbage collection finds the buffer unreachable. A chunk the
 * pool drops is old (promoted), so no young collection frees it: before this, a fan-out to 1,000 members dropped
 * about 11,000 chunks a second, the JVM's direct memory climbed to its limit (the heap size) within seconds, and
 * then every allocation of a direct buffer called {@code System.gc()}: full pauses of 60-70 ms (issue 12).
 *
 * <p>It uses {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, there for this purpose since JDK 9; Netty
 * frees its direct buffers the same way). Where that is unavailable, buffers are left to the GC as before.
 */
final class DirectMemory {
    private static final Logger LOG = LoggerFactory.getLogger(DirectMemory.class);
    private static final MethodHandle INVOKE_CLEANER = invokeCleaner();

    private DirectMemory() {
    }

    /**
     * Frees {@code buffer}'s memory, which must be a direct buffer made by {@code allocateDirect} (not a slice or a
     * duplicate) that nothing will touch again. When it cannot, the buffer is left to the GC.
     */
    static void free(ByteBuffer buffer) {
        if (INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invokeExact(buffer);
        } catch (Throwable e) {
            LOG.debug("could not free a direct buffer; it is left to the GC", e);
        }
    }

    private static MethodHandle invokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field field = unsafeClass.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(field.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("sun.misc.Unsafe.invokeCleaner is unavailable: dropped direct chunks wait for the GC", e);
            return null;
        }
    }
}
