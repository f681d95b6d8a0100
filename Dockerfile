# The lunge image: the CLI on the official Bun image (Deno works the same way from
# denoland/deno; see docs/distributed.md). Build from the repository root:
#   docker build -t lunge:0.2.0 .
FROM oven/bun:1-slim
WORKDIR /opt/lunge
COPY package.json ./
# Only the runtime dependencies (hono); no install scripts.
RUN bun install --production --ignore-scripts
COPY mod.ts cli.ts deno.json ./
COPY src ./src
# Run as the image's unprivileged user; results go to stdout (--json -) or a mounted volume.
USER bun
ENTRYPOINT ["bun", "/opt/lunge/cli.ts"]
CMD ["--help"]
