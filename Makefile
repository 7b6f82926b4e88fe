# Flagger for the JVM. Each target is a thin wrapper; the logic lives in Maven and hack/*.sh.
JAVA_HOME := $(shell hack/java-home.sh)
ifeq ($(JAVA_HOME),)
$(error a JDK 21 or newer is required, see the message above)
endif
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
MVN ?= mvn -B -ntp

# make demo PROVIDER=...: refused before the build when the sandbox does not run it (the list is
# SandboxProvider's, which checks hack/demo.sh --provider=... the same way)
DEMO_PROVIDERS := istio gatewayapi:v1 gatewayapi:v1beta1 linkerd nginx
ifneq ($(PROVIDER),)
ifneq ($(words $(PROVIDER)) $(filter $(PROVIDER),$(DEMO_PROVIDERS)),1 $(PROVIDER))
$(error PROVIDER=$(PROVIDER) is not a provider the sandbox runs; accepted: $(DEMO_PROVIDERS))
endif
endif

# make demo JUDGE=1: the judge's story needs a same-age baseline, which only Istio and the Gateway
# API run (SandboxMain refuses hack/demo.sh --judge with another provider the same way)
JUDGE_PROVIDERS := istio gatewayapi:v1 gatewayapi:v1beta1
ifneq ($(filter-out 0,$(JUDGE)),)
ifneq ($(PROVIDER),)
ifeq ($(filter $(PROVIDER),$(JUDGE_PROVIDERS)),)
$(error JUDGE=1 needs a same-age baseline, which PROVIDER=$(PROVIDER) cannot run; accepted with JUDGE=1: $(JUDGE_PROVIDERS))
endif
endif
endif

.PHONY: build test demo e2e deploy undeploy manifests images bench bench-controller bench-loadtester bench-metrics fmt lint clean

build: ## Compile and package every module, no tests
	$(MVN) -q -DskipTests install

test: ## Every test of every module, formatting and layering checks included
	$(MVN) -Dsurefire.printSummary=true install; status=$$?; hack/test-summary.sh; exit $$status

demo: build ## The main job: a canary release on the embedded local sandbox (PROVIDER=istio|gatewayapi:v1|gatewayapi:v1beta1|linkerd|nginx; JUDGE=1: the statistical judge against a same-age baseline)
	hack/demo.sh $(if $(PROVIDER),'--provider=$(PROVIDER)') $(if $(filter-out 0,$(JUDGE)),--judge)

e2e: build ## The sandbox scenarios, headless (also part of make test)
	$(MVN) -pl flagger-sandbox verify -Dtest='*E2ETest' -Dsurefire.failIfNoSpecifiedTests=false

deploy: ## Install CRDs, controller, load tester and Grafana into the current kubectl context (creates the load tester's token and Grafana's admin and API Secrets when absent)
	hack/deploy.sh

undeploy: ## Remove everything `make deploy` installed
	kubectl delete -k k8s/ --ignore-not-found

manifests: ## Regenerate the CRDs from the model and check every kustomize tree renders
	$(MVN) -q -pl flagger-model -am install -DskipTests
	$(MVN) -q -pl flagger-model test -Dtest=CrdSchemaTest -Dcrds.write=true -Dsurefire.failIfNoSpecifiedTests=false
	hack/verify-manifests.sh

images: build ## Container images of the three services (needs a Docker engine)
	@command -v docker >/dev/null && docker info >/dev/null 2>&1 || { echo "make images needs a running Docker engine"; exit 1; }
	for m in flagger-controller flagger-loadtester flagger-grafana; do docker build -t ghcr.io/app-flagger/$$m:0.1.0 $$m; done

bench: bench-controller bench-loadtester ## Every benchmark, with ratios against peers measured in the same run

bench-controller: build
	hack/bench-controller.sh

bench-loadtester: build
	hack/bench-loadtester.sh

bench-metrics: ## /metrics of the controller with 1,000 analysing Canaries, on the image's JVM options (MetricsRenderIT)
	$(MVN) -q -Pit -pl flagger-controller -am verify -Dtest=MetricsRenderIT -DskipITs -Dsurefire.failIfNoSpecifiedTests=false '-Dit.jvm=-XX:Flags=$(CURDIR)/flagger-controller/jvm.flags'
	@grep -h BENCH-METRICS flagger-controller/target/surefire-reports/*MetricsRenderIT-output.txt

fmt: ## Apply google-java-format
	$(MVN) -q spotless:apply

lint: ## Formatting, banned calls, manifests
	$(MVN) -q spotless:check
	hack/lint.sh
	hack/verify-manifests.sh

clean:
	$(MVN) -q clean
