package io.courier.server.dispatch;

import io.courier.server.api.Handler;
import io.courier.server.api.RequestException;
import io.courier.server.api.Session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.server.metrics.RequestMetrics;
import io.courier.server.metrics.ServerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Routes a request to the handler for its type and turns whatever happens into exactly one reply: the handler's
 * result, {@code unknown_type} with the known types as options, the handler's own {@link RequestException},
 * {@code handler_failed}, or {@code busy} when a blocking handler cannot get a worker.
 *
 * <p>Handlers that are not blocking run right here on the event loop. Blocking ones run on the
 * {@link WorkerPool} in the connection's lane; their reply is posted back to the loop.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final HandlerRegistry registry;
    private final ArrayNode options;
    private final WorkerPool workers;
    private final Executor loop;
    private final Admission admission;
    /** Each type's handler with its request metrics: one lookup per request finds both. */
    private final Map<String, Route> routes = new HashMap<>();
    private final RequestMetrics unknownTypes;

    private record Route(Handler handler, RequestMetrics metrics) {
    }

    public Dispatcher(HandlerRegistry registry, WorkerPool workers, Executor loop, Admission admission,
                      ServerStats stats) {
        this.registry = registry;
        this.workers = workers;
        this.loop = loop;
        this.admission = admission;
        this.options = Json.NODES.arrayNode();
        registry.types().forEach(options::add);
        for (Handler handler : registry.handlers()) {
            routes.put(handler.type(), new Route(handler, stats.requests(handler.type())));
        }
        this.unknownTypes = stats.unknownTypeRequests();
    }

    public HandlerRegistry registry() {
        return registry;
    }

    public WorkerPool workers() {
        return workers;
    }

    /**
     * Handles {@code request}: its one reply goes to {@link Origin#reply} now, or, when a blocking handler will
     * produce it, {@link Origin#replyPending} is called now and {@link Origin#replyLater} receives the reply on
     * the event loop. Loop thread only; never throws.
     */
    public void dispatch(Message request, Origin origin) {
        long received = System.nanoTime(); // the decoder calls us as the request's last byte is read
        Route route = routes.get(request.type());
        RequestMetrics metrics = route != null ? route.metrics() : unknownTypes;
        Session session = origin.session();
        Message refusal = admission.refusal(request, session);
        if (refusal != null) {
            origin.reply(metrics.replied(received, refusal));
            return;
        }
        if (route == null) {
            origin.reply(metrics.replied(received, unknownType(request)));
            return;
        }
        Handler handler = route.handler();
        if (handler instanceof DeferredHandler) {
            new DeferredCall(request, origin, reply -> metrics.replied(received, reply)).run((DeferredHandler) handler);
            return;
        }
        if (!handler.blocking()) {
            origin.reply(metrics.replied(received, invoke(handler, request, session)));
            return;
        }
        origin.replyPending();
        origin.lane().submit(new WorkerPool.Job() {
            @Override
            public void run() {
                Message result = invoke(handler, request, session);
                loop.execute(() -> origin.replyLater(metrics.replied(received, result)));
            }

            @Override
            public void rejected() {
                loop.execute(() -> origin.replyLater(metrics.replied(received, Message.errorReply(request,
                        ErrorCode.BUSY, "every worker is busy and the queue of blocking requests is full; retry "
                                + "shortly"))));
            }
        });
    }

    /** Runs a handler and completes its reply; exceptions become error replies. */
    private static Message invoke(Handler handler, Message request, Session session) {
        Message reply;
        try {
            reply = handler.handle(request, session);
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            return failure(request, session, e);
        }
        return completeReply(request, reply);
    }

    /** The error reply for a handler's failure: its own RequestException, else handler_failed (logged). */
    private static Message failure(Message request, Session session, Throwable failure) {
        if (failure instanceof RequestException) {
            RequestException e = (RequestException) failure;
            Message error = Message.errorReply(request, e.code(), e.getMessage());
            if (e.details() != null) {
                ObjectNode fields = (ObjectNode) error.header().get(Message.ERROR);
                e.details().properties().forEach(field -> fields.putIfAbsent(field.getKey(), field.getValue()));
            }
            return error;
        }
        // LinkageError: a plugin built against other classes than the server has (NoSuchMethodError, ...).
        // Uncaught, it would leave the request without a reply, or stop the event loop itself.
        log.warn("Handler for '{}' failed on session {}", request.type(), session.id(), failure);
        return Message.errorReply(request, ErrorCode.HANDLER_FAILED,
                "the handler for '" + request.type() + "' failed; the server logged the cause, and your "
                        + "connection stays open");
    }

    /**
     * One request to a {@link DeferredHandler}: a reply sent before the handler returns goes out at once, in
     * order; one sent later goes through {@link Origin#replyLater}, the request counted in flight meanwhile.
     */
    private static final class DeferredCall implements DeferredHandler.Reply {
        private final Message request;
        private final Origin origin;
        private final java.util.function.UnaryOperator<Message> counted;
        private boolean returned;
        private boolean replied;

        DeferredCall(Message request, Origin origin, java.util.function.UnaryOperator<Message> counted) {
            this.request = request;
            this.origin = origin;
            this.counted = counted;
        }

        void run(DeferredHandler handler) {
            try {
                handler.handle(request, origin.session(), this);
            } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
                if (!replied) {
                    deliver(failure(request, origin.session(), e));
                } else {
                    log.warn("Handler for '{}' failed after replying", request.type(), e);
                }
            }
            returned = true;
            if (!replied) {
                origin.replyPending();
            }
        }

        @Override
        public void send(Message reply) {
            deliver(completeReply(request, reply));
        }

        @Override
        public void fail(Exception error) {
            deliver(failure(request, origin.session(), error));
        }

        private void deliver(Message reply) {
            if (replied) {
                throw new IllegalStateException("a request gets exactly one reply; '" + request.type()
                        + "' was already answered");
            }
            replied = true;
            Message counted = this.counted.apply(reply);
            if (returned) {
                origin.replyLater(counted);
            } else {
                origin.reply(counted);
            }
        }
    }

    private Message unknownType(Message request) {
        Message error = Message.errorReply(request, ErrorCode.UNKNOWN_TYPE,
                "no handler for type '" + request.type() + "'; the \"options\" field lists the types this server "
                        + "knows");
        ((ObjectNode) error.header().get(Message.ERROR)).set("options", options.deepCopy());
        return error;
    }

    /**
     * A reply always carries the request's type and id and an ok flag, whatever the handler forgot. Checked
     * through the lazy accessors, so a reply that is already complete keeps its raw header.
     */
    private static Message completeReply(Message request, Message reply) {
        if (reply == null) {
            return Message.replyTo(request);
        }
        if (reply.type() == null) {
            reply.with(Message.TYPE, request.type());
        }
        if (reply.id() == null && request.id() != null) {
            reply.with(Message.ID, request.id());
        }
        if (!reply.isReply()) {
            reply.with(Message.OK, true);
        }
        return reply;
    }
}
