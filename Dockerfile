# The `conformance` CLI in an image: `conformance serve` for tests that start their dependencies as containers
# (harness/Conformance.Testcontainers), `conformance run` for pipelines whose client image derives from this one.
#
#   docker build -t conformance .
#   docker run --rm -p 8080:8080 conformance serve listenmoe --host 0.0.0.0 --port 8080
#
# Only plain Dockerfile instructions, so the classic builder (Debian's docker.io without buildx) builds it as well as
# BuildKit. Where the Microsoft images cannot be pulled, build from local ones: ci/container-engine.sh makes them from
# a debootstrap root file system and this machine's .NET, and passes them as SDK_IMAGE and RUNTIME_IMAGE.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY . .
# The README's build command.
RUN dotnet build harness/Conformance.Cli -c Release -o artifacts/cli

FROM ${RUNTIME_IMAGE}
# 1654 is the unprivileged `app` user of the Microsoft images; a local base needs no passwd entry for it.
ARG APP_UID=1654
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /opt/conformance
COPY --from=build /src/artifacts/cli/ ./
USER ${APP_UID}
# serve's conventional port in a container (the Testcontainers module maps it); serve itself picks one only if told.
EXPOSE 8080
ENTRYPOINT ["dotnet", "/opt/conformance/conformance.dll"]
CMD ["--help"]
