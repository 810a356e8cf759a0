package io.edgemq.broker.pop;

/** What one receive may still return: messages and body bytes. Used by one thread. */
final class Budget {
  private int messages;
  private long bytes;
  private boolean taken;

  Budget(int messages, long bytes) {
    this.messages = messages;
    this.bytes = bytes;
  }

  int messages() {
    return messages;
  }

  /**
   * @param bodyBytes a message's body size
   * @return whether it fits (the first message always does); if so it is taken
   */
  boolean take(int bodyBytes) {
    if (messages <= 0 || (taken && bodyBytes > bytes)) {
      return false;
    }
    taken = true;
    messages--;
    bytes -= bodyBytes;
    return true;
  }
}
