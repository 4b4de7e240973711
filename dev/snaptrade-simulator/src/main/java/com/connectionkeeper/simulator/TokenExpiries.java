package com.connectionkeeper.simulator;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Runs token expiries: breaks each connection at its token's expiry instant and sends its CONNECTION_BROKEN webhook,
 * stamped with that instant, or loses it (a configured share, drawn from a seeded generator); records each in the
 * {@link ExpiryLog}. On a {@link SimulatedClock} the clock runs them as it advances; on any other clock the simulator
 * runs them on each API call or control read and every second ({@link #catchUp}). One at a time, in expiry order.
 */
final class TokenExpiries implements SimulatedClock.Timeline {
    private final SimulatorState state;
    private final WebhookSender webhooks;
    private final ExpiryLog log;
    private final Clock clock;
    private final double lostShare;
    private final RandomGenerator lossRandom;

    TokenExpiries(SimulatorState state, WebhookSender webhooks, ExpiryLog log, SimulatorConfig config,
                  RandomGenerator lossRandom) {
        this.state = state;
        this.webhooks = webhooks;
        this.log = log;
        this.clock = config.clock();
        this.lostShare = config.lostWebhookShare();
        this.lossRandom = lossRandom;
    }

    @Override
    public Optional<Instant> nextDue() {
        return state.nextExpiry();
    }

    @Override
    public synchronized int runDue(Instant now) {
        int ran = 0;
        for (Optional<SimulatedConnection> broken = state.expireNext(now); broken.isPresent();
                broken = state.expireNext(now)) {
            announce(broken.get());
            ran++;
        }
        return ran;
    }

    /** Runs every expiry due by the clock's time; returns how many ran. */
    int catchUp() {
        return runDue(clock.instant());
    }

    private void announce(SimulatedConnection c) {
        Instant at = c.disabledDate();
        boolean lost = lossRandom.nextDouble() < lostShare;
        SimulatedWebhookEvent event = SimulatedWebhookEvent.connection("CONNECTION_BROKEN", c);
        WebhookDelivery webhook = lost ? webhooks.lose(event, at) : webhooks.send(event, at);
        log.add(new TokenExpiry(c.id(), c.userId(), c.brokerageSlug(), at, lost, webhook.webhookId()));
    }
}
