package io.edgemq.client.api;

/**
 * One failed delivery of a message to a consumer group, as kept by the broker with retry and
 * dead-letter copies.
 *
 * @param timestampMs when the consumer gave the message back (broker clock, epoch ms)
 * @param reconsumeTimes the reconsume count of the failed delivery (0 = first delivery)
 * @param clientId the consumer that failed
 * @param reason why: {@code FAILURE}, {@code TIMEOUT} or the exception
 */
public record DeliveryFailure(
    long timestampMs, int reconsumeTimes, String clientId, String reason) {}
