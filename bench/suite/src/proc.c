/* proc.c -- child processes of the bench: spawn, wait4 accounting, and a /proc sampler that
 * follows the stage processes 'parcelscreen run' starts.
 *
 * DESIGN: wait4() gives the CPU time of a child plus every descendant it reaped, and the
 * largest peak RSS among them, so one wait on 'parcelscreen run' accounts for the whole
 * pipeline. Per-stage numbers need the stages themselves: the sampler thread lists the
 * children of the run process (/proc/<pid>/task/<pid>/children, else a scan of /proc/<n>/stat
 * for the parent pid), names each by its argv[1], and reads VmHWM/VmRSS from status and
 * utime+stime from stat every interval. VmHWM is a high-water mark, so a late sample still sees
 * an earlier peak; CPU time is the last value seen before the stage exited (up to one interval
 * short). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "benchmicro/micro.h"
#include "internal.h"

/* ============ Spawning and waiting ============ */

static int s_redirect(const char *path, int target, int flags)
{
    int fd = open(path ? path : "/dev/null", flags, 0644);
    if (fd < 0)
        return -1;
    if (fd != target) {
        if (dup2(fd, target) < 0)
            return -1;
        close(fd);
    }
    return 0;
}

pid_t bench__spawn(char *const argv[], const bench__io_t *io)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -errno;
    if (pid > 0)
        return pid;
    /* Child: only async-signal-safe calls and exec from here. */
    if (io && io->stdin_fd >= 0) {
        if (dup2(io->stdin_fd, STDIN_FILENO) < 0)
            _exit(126);
        close(io->stdin_fd);
    } else if (s_redirect(io ? io->stdin_path : NULL, STDIN_FILENO, O_RDONLY) != 0) {
        _exit(126);
    }
    if (s_redirect(io ? io->stdout_path : NULL, STDOUT_FILENO, O_WRONLY | O_CREAT | O_TRUNC) != 0 ||
        s_redirect(io ? io->stderr_path : NULL, STDERR_FILENO, O_WRONLY | O_CREAT | O_APPEND) != 0)
        _exit(126);
    if (io && io->env)
        putenv((char *)io->env);
    execv(argv[0], argv);
    _exit(127);
}

int bench__wait(pid_t pid, double t0, bench__proc_t *out)
{
    memset(out, 0, sizeof(*out));
    struct rusage ru;
    int status = 0;
    for (;;) {
        pid_t r = wait4(pid, &status, 0, &ru);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR)
            return -errno;
    }
    out->wall_s = bench_now_s() - t0;
    out->status = status;
    out->user_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    out->sys_s = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    out->max_rss_kb = ru.ru_maxrss;
    return 0;
}

int bench__run(char *const argv[], const bench__io_t *io, bench__proc_t *out)
{
    double t0 = bench_now_s();
    pid_t pid = bench__spawn(argv, io);
    if (pid < 0)
        return (int)pid;
    return bench__wait(pid, t0, out);
}

int bench__run_timeout(char *const argv[], const bench__io_t *io, double timeout_s,
                       bench__proc_t *out, bool *timed_out)
{
    *timed_out = false;
    double t0 = bench_now_s();
    pid_t pid = bench__spawn(argv, io);
    if (pid < 0)
        return (int)pid;
    for (;;) {
        siginfo_t info;
        memset(&info, 0, sizeof(info));
        /* WNOWAIT: look without reaping, so wait4 below still gets the rusage. */
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid)
            break;
        if (timeout_s > 0 && bench_now_s() - t0 > timeout_s) {
            kill(pid, SIGKILL);
            *timed_out = true;
            break;
        }
        usleep(5000);
    }
    return bench__wait(pid, t0, out);
}

void bench__describe_status(int status, char *out, size_t len)
{
    if (WIFEXITED(status))
        snprintf(out, len, "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(out, len, "signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(out, len, "wait status %d", status);
}

char *bench__capture(char *const argv[])
{
    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return NULL;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDERR_FILENO);
            close(null);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    core_buf_t buf = {0};
    for (;;) {
        char chunk[4096];
        ssize_t n = read(fds[0], chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        core_buf_append(&buf, chunk, (size_t)n);
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        core_buf_clear(&buf);
        return NULL;
    }
    core_buf_cstr(&buf);
    if (buf.data == NULL)
        return core_strdup("");
    return buf.data;
}

/* ============ The /proc sampler ============ */

struct bench__sampler {
    pid_t parent;                            /* the run process */
    double interval_s;                       /* between samples */
    FILE *series;                            /* "t_s,stage,rss_kb" lines, or NULL */
    double t0;                               /* start, bench_now_s */
    pthread_t thread;                        /* the sampling thread */
    pthread_mutex_t lock;                    /* guards stop and stages */
    pthread_cond_t wake;                     /* signalled by stop */
    bool stop;                               /* set by bench__sampler_stop */
    bench__stage_t stages[BENCH_MAX_STAGES]; /* what was seen, by first appearance */
    size_t count;                            /* entries in stages */
};

/* Reads a small /proc file into buf (NUL-terminated). Returns bytes or -1. */
static ssize_t s_read_small(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return n;
}

/* Child pids of 'parent' into pids (at most max); returns how many. */
static size_t s_children(pid_t parent, pid_t *pids, size_t max)
{
    char path[320];
    char buf[1024];
    size_t n = 0;
    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)parent, (int)parent);
    if (s_read_small(path, buf, sizeof(buf)) >= 0) {
        char *p = buf;
        while (*p && n < max) {
            char *end = NULL;
            long v = strtol(p, &end, 10);
            if (end == p)
                break;
            pids[n++] = (pid_t)v;
            p = end;
        }
        return n;
    }
    /* No CONFIG_PROC_CHILDREN: scan every process's parent. */
    DIR *d = opendir("/proc");
    if (d == NULL)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        if (s_read_small(path, buf, sizeof(buf)) < 0)
            continue;
        /* "pid (comm) state ppid ...": the comm may hold spaces, the last ')' ends it. */
        char *rp = strrchr(buf, ')');
        if (rp == NULL || rp[1] == '\0' || rp[2] == '\0')
            continue;
        long ppid = strtol(rp + 4, NULL, 10);
        if (ppid == (long)parent)
            pids[n++] = (pid_t)strtol(e->d_name, NULL, 10);
    }
    closedir(d);
    return n;
}

/* Reads one stage's numbers; returns false when the process is gone. */
static bool s_sample_one(pid_t pid, bench__stage_t *st)
{
    char path[64];
    char buf[4096];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    if (s_read_small(path, buf, sizeof(buf)) < 0)
        return false;
    const char *hwm = strstr(buf, "VmHWM:");
    const char *rss = strstr(buf, "VmRSS:");
    if (hwm == NULL || rss == NULL)
        return false; /* a zombie has no memory lines */
    long hwm_kb = strtol(hwm + 6, NULL, 10);
    long rss_kb = strtol(rss + 6, NULL, 10);
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if (s_read_small(path, buf, sizeof(buf)) < 0)
        return false;
    /* After "(comm) ": state, then fields 4.. of proc(5); utime and stime are 14 and 15. */
    char *rp = strrchr(buf, ')');
    if (rp == NULL)
        return false;
    char *p = rp + 2;
    for (int field = 3; field < 14 && p; field++) {
        p = strchr(p, ' ');
        if (p)
            p++;
    }
    if (p == NULL)
        return false;
    char *end = NULL;
    unsigned long long ut = strtoull(p, &end, 10);
    if (end == p)
        return false;
    unsigned long long stt = strtoull(end, NULL, 10);
    long tick = sysconf(_SC_CLK_TCK);
    if (hwm_kb > st->hwm_kb)
        st->hwm_kb = hwm_kb;
    st->rss_kb = rss_kb;
    st->cpu_s = (double)(ut + stt) / (double)(tick > 0 ? tick : 100);
    return true;
}

/* The stage name of a process: the argv[1] of "parcelscreen <stage> ...". */
static void s_stage_name(pid_t pid, char *out, size_t size)
{
    char path[64];
    char buf[512];
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    ssize_t n = s_read_small(path, buf, sizeof(buf));
    out[0] = '\0';
    if (n <= 0)
        return;
    size_t first = strnlen(buf, (size_t)n);
    const char *word = (ssize_t)first + 1 < n ? buf + first + 1 : buf;
    size_t len = strnlen(word, size - 1);
    memcpy(out, word, len);
    out[len] = '\0';
}

static void s_tick(bench__sampler_t *self)
{
    pid_t pids[BENCH_MAX_STAGES * 2];
    size_t n = s_children(self->parent, pids, CORE_ARRAY_LEN(pids));
    double t = bench_now_s() - self->t0;
    pthread_mutex_lock(&self->lock);
    for (size_t i = 0; i < n; i++) {
        bench__stage_t *st = NULL;
        for (size_t k = 0; k < self->count; k++)
            if (self->stages[k].pid == pids[i])
                st = &self->stages[k];
        if (st == NULL) {
            if (self->count == BENCH_MAX_STAGES)
                continue;
            st = &self->stages[self->count++];
            memset(st, 0, sizeof(*st));
            st->pid = pids[i];
        }
        /* Between fork and exec a stage still shows the controller's command line. */
        if (st->name[0] == '\0' || strcmp(st->name, "run") == 0)
            s_stage_name(pids[i], st->name, sizeof(st->name));
        if (s_sample_one(pids[i], st) && self->series)
            fprintf(self->series, "%.2f,%s,%ld\n", t, st->name, st->rss_kb);
    }
    pthread_mutex_unlock(&self->lock);
}

static void *s_sampler_thread(void *arg)
{
    bench__sampler_t *self = arg;
    pthread_mutex_lock(&self->lock);
    while (!self->stop) {
        pthread_mutex_unlock(&self->lock);
        s_tick(self);
        pthread_mutex_lock(&self->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        long ns = (long)(self->interval_s * 1e9);
        until.tv_sec += ns / 1000000000L;
        until.tv_nsec += ns % 1000000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!self->stop) {
            if (pthread_cond_timedwait(&self->wake, &self->lock, &until) != 0)
                break;
        }
    }
    pthread_mutex_unlock(&self->lock);
    return NULL;
}

bench__sampler_t *bench__sampler_start(pid_t parent, double interval_s, FILE *series)
{
    bench__sampler_t *self = core_calloc(1, sizeof(*self));
    self->parent = parent;
    self->interval_s = interval_s > 0.01 ? interval_s : 0.01;
    self->series = series;
    self->t0 = bench_now_s();
    pthread_mutex_init(&self->lock, NULL);
    pthread_cond_init(&self->wake, NULL);
    int rc = pthread_create(&self->thread, NULL, s_sampler_thread, self);
    core_assert(rc == 0);
    return self;
}

size_t bench__sampler_stop(bench__sampler_t **self_p, bench__stage_t *out, size_t max)
{
    core_assert(self_p != NULL);
    bench__sampler_t *self = *self_p;
    if (self == NULL)
        return 0;
    pthread_mutex_lock(&self->lock);
    self->stop = true;
    pthread_cond_signal(&self->wake);
    pthread_mutex_unlock(&self->lock);
    pthread_join(self->thread, NULL);
    size_t n = self->count < max ? self->count : max;
    memcpy(out, self->stages, n * sizeof(*out));
    pthread_cond_destroy(&self->wake);
    pthread_mutex_destroy(&self->lock);
    free(self);
    *self_p = NULL;
    return n;
}
