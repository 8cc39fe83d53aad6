package io.courier.server.service;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Handlers for operating-system signals. Java has no supported API that can keep SIGHUP from stopping the JVM
 * (shutdown hooks only run as it dies) or that can drain before SIGTERM ends it, so this uses the JDK's
 * {@code sun.misc.Signal} (module jdk.unsupported, exported, present in every JDK since 1.4).
 *
 * <p>Through reflection, deliberately: javac warns about every compile-time use of {@code sun.misc}, and that
 * warning cannot be suppressed with {@code @SuppressWarnings}. Reaching it here, in this one class, keeps the build
 * free of that warning without hiding any other. Should a JDK ever drop the class, {@link #handle} says so and the
 * caller logs it; the server still runs, with the JVM's default signal handling.
 */
public final class OsSignals {
    private OsSignals() {
    }

    /**
     * Runs {@code action} with the signal's name ({@code "HUP"}) each time the process receives signal
     * {@code name}, instead of the JVM's default action, on a thread the JVM starts for it.
     *
     * @return null once installed, else why not (one sentence, saying what happens instead)
     */
    public static String handle(String name, Consumer<String> action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method getName = signalClass.getMethod("getName");
            InvocationHandler onSignal = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "handle":
                        action.accept((String) getName.invoke(args[0]));
                        return null;
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    default:
                        return "signal handler for SIG" + name;
                }
            };
            Object handler = Proxy.newProxyInstance(OsSignals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    onSignal);
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Object before = signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            if (before == handlerClass.getField("SIG_IGN").get(null)) {
                // The JVM keeps a signal that was ignored when the process started (nohup ignores SIGHUP) ignored,
                // and installs nothing: say so instead of pretending the handler will run.
                return "SIG" + name + " was ignored when this process started (nohup, or a parent that ignores it), "
                        + "and the JVM keeps it ignored: SIG" + name + " will do nothing";
            }
            return null;
        } catch (InvocationTargetException e) {
            // IllegalArgumentException: the JVM uses this signal itself, or the OS does not have it
            return "cannot handle SIG" + name + ": " + e.getCause().getMessage() + "; the JVM's default applies";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "cannot handle SIG" + name + ": this JDK has no sun.misc.Signal (" + e + "); the JVM's default "
                    + "applies";
        }
    }
}
