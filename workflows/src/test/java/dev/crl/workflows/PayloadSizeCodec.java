package dev.crl.workflows;

import io.temporal.api.common.v1.Payload;
import java.util.List;

/**
 * A pass-through payload codec that remembers the largest payload it saw. Every payload the
 * client and the workers exchange with Temporal (workflow inputs and results, activity
 * arguments and results, signals, queries, updates) is encoded by the data converter's codecs,
 * so this sees all of them.
 */
final class PayloadSizeCodec implements io.temporal.payload.codec.PayloadCodec {
  private int largest;
  private String largestPreview = "";
  private long count;

  @Override
  public synchronized List<Payload> encode(List<Payload> payloads) {
    for (Payload payload : payloads) {
      count++;
      int size = payload.getSerializedSize();
      if (size > largest) {
        largest = size;
        String data = payload.getData().toStringUtf8();
        largestPreview = data.substring(0, Math.min(200, data.length()));
      }
    }
    return payloads;
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads;
  }

  synchronized int largestBytes() {
    return largest;
  }

  synchronized String largestPreview() {
    return largestPreview;
  }

  synchronized long payloadsSeen() {
    return count;
  }
}
