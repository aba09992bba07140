/* memhog MIB [HOLD_SECONDS]: allocate and write MIB MiB, then hold the memory for HOLD_SECONDS
 * (default: until killed) and exit 0. Progress goes to stdout so a task's sandbox shows how far it got
 * before an OOM kill. Exits on SIGTERM/SIGINT even as PID 1, where default actions are ignored. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void on_signal(int sig) { _exit(128 + sig); }

static int parse(const char *s, unsigned long *out) {
  char *end;
  if (*s < '0' || *s > '9') return -1;
  *out = strtoul(s, &end, 10);
  return *end == '\0' ? 0 : -1;
}

int main(int argc, char **argv) {
  unsigned long mib, hold = 0, i;
  const size_t chunk = 1UL << 20;
  if (argc < 2 || argc > 3 || parse(argv[1], &mib) != 0 || (argc == 3 && parse(argv[2], &hold) != 0)) {
    fprintf(stderr, "usage: memhog MIB [HOLD_SECONDS]\n");
    return 2;
  }
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("memhog: allocating %lu MiB\n", mib);
  for (i = 1; i <= mib; i++) {
    char *p = malloc(chunk);
    if (p == NULL) {
      fprintf(stderr, "memhog: malloc failed after %lu MiB\n", i - 1);
      return 1;
    }
    memset(p, 0x5a, chunk); /* non-zero writes: every page becomes resident */
    if (i % 16 == 0 || i == mib) printf("memhog: %lu MiB touched\n", i);
  }
  if (argc == 3) {
    printf("memhog: holding %lu MiB for %lu s\n", mib, hold);
    while (hold > 0) hold = sleep((unsigned)hold);
    return 0;
  }
  printf("memhog: holding %lu MiB until killed\n", mib);
  for (;;) pause();
}
