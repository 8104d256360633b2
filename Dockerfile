# The mandel-par command in an image, built from this repository (mandel-par is not on the npm registry, so an
# image cannot `npx mandel-par`: that would fetch nothing, or someone else's package of that name).
#   docker build -t mandel-par:0.3.0 .
#   docker run --rm -v "$PWD/output:/output" mandel-par:0.3.0 -o /output/pic.png
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
# The build (WASM kernel, TypeScript, bundled command), then only what running needs.
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /opt/mandel-par
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/build ./build
ENTRYPOINT ["node", "/opt/mandel-par/dist/src/bin/mandel-par.js"]
