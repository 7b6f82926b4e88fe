package app.flagger.loadtester.task;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks as Flagger's task runner does, with limits: an asynchronous task whose canary and
 * command are already running is skipped (so repeated rollout webhooks keep one {@code hey} running
 * per canary), at most {@code maxConcurrent} tasks run at once, the connections of running load
 * tasks stay within the connection budget, each task stops at the per-task timeout, and {@link
 * #close()} cancels everything still running.
 */
public final class TaskRunner implements AutoCloseable {
  /** What happened to an asynchronous submission. */
  public enum Submission {
    STARTED,
    ALREADY_RUNNING,
    AT_CAPACITY
  }

  private static final Logger LOG = Logger.getLogger(TaskRunner.class.getName());

  private final TaskExecutor executor;
  private final ExecutorService threads;
  private final Duration timeout;
  private final Semaphore slots;
  private final int maxConcurrent;
  private final int connectionBudget;
  private int connectionsInUse;
  private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A runner without a connection budget. */
  public TaskRunner(
      TaskExecutor executor, ExecutorService threads, Duration timeout, int maxConcurrent) {
    this(executor, threads, timeout, maxConcurrent, Integer.MAX_VALUE);
  }

  /**
   * @param connectionBudget connections all running tasks may open together ({@code
   *     loadtester.limits.connection-budget}); a task that would exceed it is refused with 429
   */
  public TaskRunner(
      TaskExecutor executor,
      ExecutorService threads,
      Duration timeout,
      int maxConcurrent,
      int connectionBudget) {
    this.executor = executor;
    this.threads = threads;
    this.timeout = timeout;
    this.maxConcurrent = maxConcurrent;
    this.connectionBudget = connectionBudget;
    this.slots = new Semaphore(maxConcurrent);
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }

  /** Tasks running now. */
  public int running() {
    return running.size();
  }

  /** Connections the running tasks hold now. */
  public synchronized int connectionsInUse() {
    return connectionsInUse;
  }

  /**
   * Starts {@code task} in the background unless the same one runs or the cap is reached.
   *
   * @throws TaskRejected 429 when its connections do not fit in the connection budget now
   */
  public Submission submit(Task task) {
    AtomicBoolean cancel = new AtomicBoolean();
    if (running.putIfAbsent(task.key(), cancel) != null) {
      TaskLog.info(task.canary(), "command skipped " + task.command() + " is already running");
      return Submission.ALREADY_RUNNING;
    }
    if (closed.get() || !slots.tryAcquire()) {
      running.remove(task.key(), cancel);
      return Submission.AT_CAPACITY;
    }
    try {
      reserveConnections(task);
    } catch (TaskRejected e) {
      running.remove(task.key(), cancel);
      slots.release();
      throw e;
    }
    TaskLog.info(task.canary(), "task starting " + task.command());
    try {
      threads.execute(() -> runGuarded(task, task.key(), cancel));
    } catch (RejectedExecutionException e) {
      // closed between the check above and now: give the slot, the connections and the key back
      running.remove(task.key(), cancel);
      releaseConnections(task);
      slots.release();
      return Submission.AT_CAPACITY;
    }
    return Submission.STARTED;
  }

  /**
   * Runs {@code task} in the calling thread, bounded by the per-task timeout.
   *
   * @return the outcome, or {@code null} when the cap is reached
   * @throws TaskRejected 429 when its connections do not fit in the connection budget now
   */
  public TaskOutcome runBlocking(Task task) {
    if (closed.get() || !slots.tryAcquire()) {
      return null;
    }
    try {
      reserveConnections(task);
    } catch (TaskRejected e) {
      slots.release();
      throw e;
    }
    String key = "blocking-" + ids.incrementAndGet();
    AtomicBoolean cancel = new AtomicBoolean();
    running.put(key, cancel);
    TaskLog.info(task.canary(), "task starting " + task.command());
    return runGuarded(task, key, cancel);
  }

  private synchronized void reserveConnections(Task task) {
    int wanted = task.connections();
    if (wanted > connectionBudget) {
      // possible when the budget was lowered to fit a small heap
      throw TaskRejected.badRequest(
          "the task needs "
              + wanted
              + " connections, more than the whole connection budget of "
              + connectionBudget
              + " (loadtester limit connection-budget)");
    }
    if (wanted > connectionBudget - connectionsInUse) {
      throw new TaskRejected(
          429,
          "connection budget exhausted: running tasks hold "
              + connectionsInUse
              + " of "
              + connectionBudget
              + " connections and this one needs "
              + wanted
              + " (loadtester limit connection-budget); try again later");
    }
    connectionsInUse += wanted;
  }

  private synchronized void releaseConnections(Task task) {
    connectionsInUse -= task.connections();
  }

  private TaskOutcome runGuarded(Task task, String key, AtomicBoolean cancel) {
    long deadline = System.nanoTime() + timeout.toNanos();
    BooleanSupplier stop = () -> cancel.get() || System.nanoTime() - deadline >= 0;
    try {
      return executor.execute(task, stop, timeout);
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      String msg = Redactor.redact("task " + task.command() + " failed: " + e);
      TaskLog.warn(task.canary(), msg);
      LOG.log(Level.WARNING, msg, e);
      return new TaskOutcome(TaskOutcome.Result.FAILED, msg, "");
    } finally {
      running.remove(key, cancel);
      releaseConnections(task);
      slots.release();
    }
  }

  /** Cancels running tasks and waits a little for them to stop. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    running.values().forEach(c -> c.set(true));
    threads.shutdown();
    try {
      if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
