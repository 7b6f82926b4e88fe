package app.flagger.loadtester;

import app.flagger.loadtester.gate.GateStore;
import app.flagger.loadtester.task.TaskFactory;
import app.flagger.loadtester.task.TaskRunner;

/** What the HTTP routes need, built by {@link Main} or by a test. */
public record LoadTesterDeps(
    LoadTesterConfig config, GateStore gates, TaskFactory tasks, TaskRunner runner) {}
