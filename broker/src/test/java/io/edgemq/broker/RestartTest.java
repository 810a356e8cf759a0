package io.edgemq.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CommitOffsetRequest;
import io.edgemq.protocol.v1.DeleteTopicRequest;
import io.edgemq.protocol.v1.GetTopicRequest;
import io.edgemq.protocol.v1.ListTopicsRequest;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.Permission;
import io.edgemq.protocol.v1.QueryOffsetRequest;
import io.edgemq.protocol.v1.QueryOffsetResponse;
import io.edgemq.protocol.v1.TopicConfig;
import io.edgemq.protocol.v1.UpdateTopicRequest;
import io.edgemq.store.api.MessageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartTest {
  @TempDir Path dir;

  private static QueryOffsetRequest query(String topic, int q) {
    return QueryOffsetRequest.newBuilder()
        .setConsumerGroup("g")
        .setClientId("c1")
        .setTopic(topic)
        .setQueueId(q)
        .build();
  }

  @Test
  void shouldKeepTopicsOffsetsAndMessagesAcrossARestart() throws Exception {
    try (TestBroker b = TestBroker.start(dir)) {
      b.createTopic("orders", 4);
      b.createTopic("ro", 2, Permission.PERMISSION_READ);
      b.createTopic("gone", 1);
      for (int i = 0; i < 5; i++) {
        b.send(
            Message.newBuilder()
                .setTopic("orders")
                .setBody(ByteString.copyFromUtf8("m" + i))
                .build(),
            3);
      }
      assertThat(b.client.queryOffset(query("orders", 3)).getStatus().getCode())
          .isEqualTo(Code.OFFSET_NOT_FOUND);
      var c =
          b.client.commitOffset(
              CommitOffsetRequest.newBuilder()
                  .setConsumerGroup("g")
                  .setTopic("orders")
                  .setQueueId(3)
                  .setOffset(4)
                  .build());
      assertThat(c.getStatus().getCode()).isEqualTo(Code.OK);
      var over =
          b.client.commitOffset(
              CommitOffsetRequest.newBuilder()
                  .setConsumerGroup("g")
                  .setTopic("orders")
                  .setQueueId(3)
                  .setOffset(6)
                  .build());
      assertThat(over.getStatus().getCode()).isEqualTo(Code.OFFSET_OVERFLOW);
      var upd =
          b.admin.updateTopic(
              UpdateTopicRequest.newBuilder()
                  .setTopic(
                      TopicConfig.newBuilder()
                          .setTopic("orders")
                          .setWriteQueueCount(4)
                          .setReadQueueCount(6))
                  .build());
      assertThat(upd.getTopic().getPermission()).isEqualTo(Permission.PERMISSION_READ_WRITE);
      assertThat(
              b.admin
                  .deleteTopic(DeleteTopicRequest.newBuilder().setTopic("gone").build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.OK);
    }
    assertThat(Files.readString(dir.resolve("topics"))).contains("orders 4 6 READ_WRITE");

    try (MessageStore store =
        MessageStore.open(TestBroker.config(dir).build().storeConfig(), Clock.systemUTC())) {
      assertThat(store.recoveryReport().cleanShutdown()).isTrue();
      assertThat(store.recoveryReport().recordsScanned()).isZero();
    }

    try (TestBroker b = TestBroker.start(dir)) {
      var topics = b.admin.listTopics(ListTopicsRequest.getDefaultInstance()).getTopicsList();
      assertThat(topics).extracting(TopicConfig::getTopic).containsExactly("orders", "ro");
      assertThat(b.admin.getTopic(GetTopicRequest.newBuilder().setTopic("ro").build()).getTopic())
          .isEqualTo(
              TopicConfig.newBuilder()
                  .setTopic("ro")
                  .setWriteQueueCount(2)
                  .setReadQueueCount(2)
                  .setPermission(Permission.PERMISSION_READ)
                  .build());
      QueryOffsetResponse q = b.client.queryOffset(query("orders", 3));
      assertThat(q.getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(q.getOffset()).isEqualTo(4);
      assertThat(q.getMinOffset()).isZero();
      assertThat(q.getMaxOffset()).isEqualTo(5);
      assertThat(b.pull("orders", 3, 4).getMessages(0).getBody().toStringUtf8()).isEqualTo("m4");
      assertThat(b.client.queryOffset(query("gone", 0)).getStatus().getCode())
          .isEqualTo(Code.TOPIC_NOT_FOUND);
    }
  }

  @Test
  void shouldCommitThroughPullAndRefuseAStaleCreate() throws Exception {
    try (TestBroker b = TestBroker.start(dir)) {
      b.createTopic("t", 1);
      b.send(Message.newBuilder().setTopic("t").build(), 0);
      var p = b.client.pull(TestBroker.pullRequest("t", 0, 1).setCommitOffset(1).build());
      assertThat(p.getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(b.client.queryOffset(query("t", 0)).getOffset()).isEqualTo(1);
      var again =
          b.admin.createTopic(
              io.edgemq.protocol.v1.CreateTopicRequest.newBuilder()
                  .setTopic(TopicConfig.newBuilder().setTopic("t"))
                  .build());
      assertThat(again.getStatus().getCode()).isEqualTo(Code.ALREADY_EXISTS);
      var sys =
          b.admin.createTopic(
              io.edgemq.protocol.v1.CreateTopicRequest.newBuilder()
                  .setTopic(TopicConfig.newBuilder().setTopic("%RETRY%g"))
                  .build());
      assertThat(sys.getStatus().getCode()).isEqualTo(Code.ILLEGAL_TOPIC);
      var badCounts =
          b.admin.createTopic(
              io.edgemq.protocol.v1.CreateTopicRequest.newBuilder()
                  .setTopic(
                      TopicConfig.newBuilder()
                          .setTopic("x")
                          .setWriteQueueCount(4)
                          .setReadQueueCount(2))
                  .build());
      assertThat(badCounts.getStatus().getCode()).isEqualTo(Code.BAD_REQUEST);
    }
  }
}
