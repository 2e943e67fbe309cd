package com.tesaiot.publish.app;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardTest {

    @Test
    void everyDeviceIsInExactlyOneShardWhateverTheNumbersOfDevicesAndShards() {
        for (int devices = 0; devices <= 23; devices++) {
            List<Integer> sorted = IntStream.range(0, devices).boxed().toList();
            for (int count = 1; count <= 7; count++) {
                List<Integer> covered = new ArrayList<>();
                for (int index = 1; index <= count; index++) {
                    List<Integer> slice = new Shard(index, count).of(sorted);
                    assertTrue(slice.size() >= devices / count && slice.size() <= devices / count + 1,
                            "shard " + index + "/" + count + " of " + devices + " holds " + slice.size());
                    covered.addAll(slice);
                }
                assertEquals(sorted, covered, devices + " devices in " + count + " shards");
            }
        }
    }

    @Test
    void aPodsCompletionIndexCountsFromZero() {
        assertEquals(new Shard(1, 3), Shard.ofCompletionIndex(0, 3));
        assertEquals(new Shard(3, 3), Shard.ofCompletionIndex(2, 3));
    }

    @Test
    void refusesShardsThatDoNotExistOrDoNotParse() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shard.parse("3/2")).getMessage()
                .contains("shard 3 of 2 does not exist"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shard.parse("0/0")).getMessage()
                .contains("at least 1 shard"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shard.parse("0/3")).getMessage()
                .contains("numbered 1..3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shard.parse("two/3")).getMessage()
                .contains("whole numbers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shard.parse("2")).getMessage()
                .contains("is not I/N"));
    }
}
