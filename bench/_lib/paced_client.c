/*
 * The native floor for an evenly paced open-model load: one keep-alive
 * connection, one request written at each arrival (every 1/rate s, never
 * early) and its response read, in a single-threaded epoll loop, as wrk2 or
 * any C load tester would do it. Nothing else: no parsing, no timing record.
 * native_floor.ts compiles it with the system's cc and measures its CPU at
 * the rate lunge is measured at.
 *
 * Usage: paced_client <ipv4 host> <port> <rate> <seconds>
 */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: paced_client <ipv4 host> <port> <rate> <seconds>\n");
    return 2;
  }
  const double rate = atof(argv[3]), seconds = atof(argv[4]);
  struct sockaddr_in address = {0};
  address.sin_family = AF_INET;
  address.sin_port = htons((unsigned short)atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &address.sin_addr) != 1 || !(rate > 0) || !(seconds > 0)) {
    fprintf(stderr, "paced_client: bad host, rate or seconds\n");
    return 2;
  }
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    perror("paced_client: connect");
    return 1;
  }
  const int epfd = epoll_create1(0);
  struct epoll_event interest = {.events = EPOLLIN, .data.fd = fd};
  epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &interest);
  char request[256];
  const int length = snprintf(request, sizeof request, "GET / HTTP/1.1\r\nHost: %s:%s\r\n\r\n", argv[1], argv[2]);
  static char received[65536];
  struct epoll_event ready[8];
  const double start = now_ms(), end = start + seconds * 1e3;
  long sent = 0;
  for (;;) {
    const double now = now_ms();
    if (now >= end) break;
    const double due = start + sent * 1e3 / rate;
    if (now >= due) {
      if (send(fd, request, (size_t)length, MSG_NOSIGNAL) != length) {
        perror("paced_client: send");
        return 1;
      }
      sent++;
      continue;
    }
    // Rounded up, as lunge's pacer does: a wake-up before the arrival is due would be wasted.
    if (epoll_wait(epfd, ready, 8, (int)ceil(due - now)) > 0 && recv(fd, received, sizeof received, 0) <= 0) {
      fprintf(stderr, "paced_client: connection closed early\n");
      return 1;
    }
  }
  close(fd);
  return 0;
}
