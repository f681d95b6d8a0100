/*
 * The native floor for a closed WebSocket echo loop: N connections over TCP,
 * the HTTP upgrade with a fixed key, then on each connection one masked text
 * frame sent, its echo read, again and again, in a single-threaded epoll loop.
 * Nothing else: no timing record, no UTF-8 check, the frame (mask included)
 * built once. It is what any client pays for the socket calls and wake-ups of
 * one round trip; bench/websocket.ts measures it beside lunge, the `ws`
 * package and artillery, and tests/bench/ws_native_floor.test.ts checks it.
 *
 * At the end it stops sending, reads the echoes still on their way (up to
 * 2 s), and prints {"roundTrips": R, "sent": S} (R == S when every echo came).
 *
 * Usage: ws_echo_client <ipv4 host> <port> <connections> <seconds> [message]
 * Exit 0 on success, 1 on a failed connect, handshake or frame, 2 on bad usage.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_MESSAGE 125 /* one frame with a 7-bit length: the bench sends "hello" */
#define BUFFER 4096

struct connection {
  int fd;
  int waiting; /* a frame sent whose echo has not come yet */
  size_t have; /* bytes of a frame not yet whole */
  unsigned char in[BUFFER];
};

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* Connects and upgrades; leftover bytes after the response head go to c->in. 0 or -1. */
static int open_websocket(struct connection *c, const struct sockaddr_in *address, const char *host, const char *port) {
  c->fd = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(c->fd, (const struct sockaddr *)address, sizeof *address) != 0) {
    perror("ws_echo_client: connect");
    return -1;
  }
  char request[512];
  const int length = snprintf(request, sizeof request,
                              "GET / HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                              host, port);
  if (send(c->fd, request, (size_t)length, MSG_NOSIGNAL) != length) {
    perror("ws_echo_client: send handshake");
    return -1;
  }
  char head[2048];
  size_t got = 0;
  char *end = NULL;
  while (end == NULL) {
    if (got == sizeof head - 1) break;
    const ssize_t n = recv(c->fd, head + got, sizeof head - 1 - got, 0);
    if (n <= 0) break;
    got += (size_t)n;
    head[got] = 0;
    end = strstr(head, "\r\n\r\n");
  }
  /* The accept value for this fixed key is RFC 6455's own example. */
  if (end == NULL || strncmp(head, "HTTP/1.1 101", 12) != 0 || strstr(head, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == NULL) {
    fprintf(stderr, "ws_echo_client: handshake refused\n");
    return -1;
  }
  c->have = got - (size_t)(end + 4 - head);
  memcpy(c->in, end + 4, c->have);
  fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
  return 0;
}

/* Whole frames at the front of c->in: their count (-1 on a frame this loop does not expect); keeps the rest. */
static long take_frames(struct connection *c) {
  long frames = 0;
  size_t at = 0;
  for (;;) {
    if (c->have - at < 2) break;
    const unsigned char *f = c->in + at;
    if ((f[1] & 0x80) != 0 || (f[0] & 0x0f) == 8) return -1; /* masked from a server, or a close */
    size_t header = 2, payload = f[1] & 0x7f;
    if (payload == 126) {
      if (c->have - at < 4) break;
      header = 4, payload = ((size_t)f[2] << 8) | f[3];
    } else if (payload == 127) {
      return -1;
    }
    if (header + payload > BUFFER) return -1;
    if (c->have - at < header + payload) break;
    at += header + payload;
    if ((f[0] & 0x0f) != 9 && (f[0] & 0x0f) != 10) frames++; /* pings are not echoes (the bench's server sends none) */
  }
  memmove(c->in, c->in + at, c->have - at);
  c->have -= at;
  return frames;
}

int main(int argc, char **argv) {
  if (argc != 5 && argc != 6) {
    fprintf(stderr, "usage: ws_echo_client <ipv4 host> <port> <connections> <seconds> [message]\n");
    return 2;
  }
  const int count = atoi(argv[3]);
  const double seconds = atof(argv[4]);
  const char *message = argc == 6 ? argv[5] : "hello";
  const size_t size = strlen(message);
  struct sockaddr_in address = {0};
  address.sin_family = AF_INET;
  address.sin_port = htons((unsigned short)atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &address.sin_addr) != 1 || count <= 0 || !(seconds > 0) || size > MAX_MESSAGE) {
    fprintf(stderr, "ws_echo_client: bad host, connections, seconds or message (at most %d bytes)\n", MAX_MESSAGE);
    return 2;
  }
  /* FIN + text, MASK + length, the key, the masked payload: built once, as fixed as the key. */
  unsigned char frame[2 + 4 + MAX_MESSAGE];
  const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
  frame[0] = 0x81;
  frame[1] = (unsigned char)(0x80 | size);
  memcpy(frame + 2, key, 4);
  for (size_t i = 0; i < size; i++) frame[6 + i] = (unsigned char)message[i] ^ key[i % 4];
  const size_t frame_length = 6 + size;

  struct connection *connections = calloc((size_t)count, sizeof *connections);
  const int epfd = epoll_create1(0);
  for (int i = 0; i < count; i++) {
    if (open_websocket(&connections[i], &address, argv[1], argv[2]) != 0) return 1;
    struct epoll_event interest = {.events = EPOLLIN, .data.ptr = &connections[i]};
    epoll_ctl(epfd, EPOLL_CTL_ADD, connections[i].fd, &interest);
  }
  long sent = 0, round_trips = 0, waiting = 0;
  for (int i = 0; i < count; i++) {
    if (send(connections[i].fd, frame, frame_length, MSG_NOSIGNAL) != (ssize_t)frame_length) {
      perror("ws_echo_client: send");
      return 1;
    }
    connections[i].waiting = 1, sent++, waiting++;
  }
  struct epoll_event ready[64];
  const double end = now_s() + seconds;
  double drain_until = 0;
  int sending = 1;
  for (;;) {
    const int n = epoll_wait(epfd, ready, 64, 100);
    for (int r = 0; r < n; r++) {
      struct connection *c = ready[r].data.ptr;
      const ssize_t got = recv(c->fd, c->in + c->have, BUFFER - c->have, 0);
      if (got <= 0) {
        fprintf(stderr, "ws_echo_client: connection closed by the server\n");
        return 1;
      }
      c->have += (size_t)got;
      const long frames = take_frames(c);
      if (frames < 0) {
        fprintf(stderr, "ws_echo_client: unexpected frame from the server\n");
        return 1;
      }
      if (frames == 0) continue;
      round_trips += frames, waiting -= frames, c->waiting = 0;
      if (!sending) continue;
      if (send(c->fd, frame, frame_length, MSG_NOSIGNAL) != (ssize_t)frame_length) {
        perror("ws_echo_client: send");
        return 1;
      }
      c->waiting = 1, sent++, waiting++;
    }
    if (sending && now_s() >= end) sending = 0, drain_until = now_s() + 2;
    if (!sending && (waiting == 0 || now_s() >= drain_until)) break;
  }
  for (int i = 0; i < count; i++) close(connections[i].fd);
  printf("{\"roundTrips\": %ld, \"sent\": %ld}\n", round_trips, sent);
  return 0;
}
