package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A bundle in a folder on disk. */
final class FolderBundle implements BundleSource {
    private final Path top;
    private final List<String> names;
    private final List<String> folders;

    private FolderBundle(Path top, List<String> names, List<String> folders) {
        this.top = top;
        this.names = names;
        this.folders = folders;
    }

    static FolderBundle open(Path dir) throws Failure {
        FolderBundle bundle = list(dir);
        // A download unpacked into a folder of its own: the bundle is that folder.
        if (bundle.names.isEmpty() && bundle.folders.size() == 1) {
            return list(dir.resolve(bundle.folders.get(0)));
        }
        return bundle;
    }

    private static FolderBundle list(Path dir) throws Failure {
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> all = entries.sorted().toList();
            return new FolderBundle(dir,
                    // Pipes and devices count as files, so that one named like a bundle file is refused by name.
                    all.stream().filter(p -> !Files.isDirectory(p)).map(p -> p.getFileName().toString()).toList(),
                    all.stream().filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList());
        } catch (AccessDeniedException e) {
            throw new Failure(Failure.Kind.BUNDLE, dir + " is not readable (permission denied): check its owner and mode");
        } catch (IOException e) {
            throw new Failure(Failure.Kind.BUNDLE, dir + " could not be listed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public List<String> folders() {
        return folders;
    }

    @Override
    public FileOrigin origin(String name) {
        return new FileOrigin.OnDisk(top.resolve(name));
    }

    @Override
    public String read(String name, Failure.Input input) throws Failure {
        return BundleFiles.readText(top.resolve(name), input);
    }

    @Override
    public void close() {
        // Nothing is held open: each file is read when asked for.
    }

    @Override
    public String toString() {
        return top.toString();
    }
}
