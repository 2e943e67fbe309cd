package com.tesaiot.publish.app;

import java.util.List;

/**
 * One of {@code count} slices of a fleet, numbered from 1: the devices sorted by id, cut into {@code count}
 * consecutive runs whose sizes differ by at most one, so that every device is in exactly one shard.
 */
public record Shard(int index, int count) {

    public Shard {
        if (count < 1) {
            throw new IllegalArgumentException("a fleet has at least 1 shard, not " + count);
        }
        if (index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + " of " + count + " does not exist: shards are numbered 1.." + count);
        }
    }

    /**
     * Reads {@code I/N}, as in {@code 2/3}.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static Shard parse(String text) {
        String[] parts = text.strip().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + text + "' is not I/N (as in 2/3: the second of three shards)");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not I/N (as in 2/3): I and N are whole numbers");
        }
    }

    /** The shard a Kubernetes Indexed Job's pod runs: its {@code JOB_COMPLETION_INDEX} counts from 0. */
    public static Shard ofCompletionIndex(int completionIndex, int count) {
        return new Shard(completionIndex + 1, count);
    }

    /** This shard's slice of {@code sorted}. */
    public <T> List<T> of(List<T> sorted) {
        int size = sorted.size();
        return sorted.subList((int) ((long) (index - 1) * size / count), (int) ((long) index * size / count));
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
