# badge: Open Badges / Verifiable Credentials verification for nginx and Apache.
#
#   make deps    install the Debian packages the build, demo and tests need
#   make         libbadge.a, badgectl, the nginx module, mod_badge.so
#   make test    every suite (unit, conformance, nginx, Apache), one summary
#   make run     demo site on http://127.0.0.1:8080/
#   make bench   benchmarks          make fuzz   libFuzzer harnesses
#   make asan    the core, CLI and tests under ASan+UBSan

BUILD     ?= build
CC        ?= gcc
OPT       ?= -O2
SANITIZE  ?=
PKGS      := jansson openssl zlib libxml-2.0 libqrencode
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -fPIC \
           -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wno-unused-parameter \
           $(SANITIZE) -Isrc $(PKG_CFLAGS)
LDFLAGS += $(SANITIZE)
LIBS    := $(PKG_LIBS) -lpthread

CORE_SRCS := $(wildcard src/*.c)
CORE_OBJS := $(CORE_SRCS:src/%.c=$(BUILD)/obj/%.o)
CLI_SRCS  := $(wildcard src/cli/*.c)
CLI_OBJS  := $(CLI_SRCS:src/cli/%.c=$(BUILD)/obj/cli/%.o)
UNIT_SRCS := $(wildcard t/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:t/unit/%.c=$(BUILD)/t/%)
CONF_SRCS := $(wildcard t/conformance/conf_*.c)
CONF_BINS := $(CONF_SRCS:t/conformance/%.c=$(BUILD)/t/%)

LIB       := $(BUILD)/libbadge.a
CLI       := $(BUILD)/badgectl
NGX_SO    := $(BUILD)/ngx_http_badge_module.so
APACHE_SO := $(BUILD)/mod_badge.so

.PHONY: all core deps test run bench load fuzz asan nginx apache clean screenshots \
        unit conformance check-deps

all: check-deps core nginx apache

core: $(LIB) $(CLI) $(UNIT_BINS) $(CONF_BINS)

deps:
	@tools/deps.sh install

check-deps:
	@tools/deps.sh check || tools/deps.sh install

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/cli/%.o: src/cli/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(CLI): $(CLI_OBJS) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(LIBS) -lcurl

$(BUILD)/t/test_%: t/unit/test_%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LIBS) -lcmocka

# the fuzz regression runner compiles the harnesses in
$(BUILD)/t/conf_fuzz_regress: $(wildcard t/fuzz/fuzz_*.c)

$(BUILD)/t/conf_%: t/conformance/conf_%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LIBS)

# src/contexts_data.c is generated from src/contexts/ (committed, so that a
# plain nginx --add-module build needs no generator); regenerate with
# `make contexts`.
contexts:
	tools/gen_contexts.sh src/contexts > src/contexts_data.c

nginx: $(NGX_SO)
$(NGX_SO): config $(CORE_SRCS) $(wildcard src/*.h) $(wildcard ngx_module/*.c ngx_module/*.h)
	tools/build-nginx-module.sh $(BUILD)

apache: $(APACHE_SO)
$(APACHE_SO): $(LIB) $(wildcard apache_module/*.c apache_module/*.h)
	tools/build-apache-module.sh $(BUILD)

unit: core
	t/run-tests.sh unit

conformance: core
	t/run-tests.sh conformance

test: all
	t/run-tests.sh all

run: all
	tools/demo.sh run

bench: all
	tools/bench.sh

load: all
	tools/load.sh

fuzz:
	tools/fuzz.sh $(FUZZ_SECONDS)

# Headless Chromium screenshots of sample badge pages (desktop, phone,
# A4 print) into $(BUILD)/screenshots/; fails on console errors or missing
# key elements.
screenshots: core
	tools/screenshots.sh $(BUILD)

# ASan + UBSan: the core and the CLI over the unit and conformance suites,
# then the nginx module and mod_badge (built with the sanitizers, loaded
# into Debian's servers with libasan preloaded) over their suites.
asan:
	$(MAKE) BUILD=build-asan OPT=-O1 \
	    SANITIZE="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" core
	tools/nginx-asan.sh
	tools/apache-asan.sh
	BUILD=build-asan t/run-tests.sh unit conformance

clean:
	rm -rf build build-asan build-fuzz t/servroot

-include $(CORE_OBJS:.o=.d) $(CLI_OBJS:.o=.d)
