# swf-edge: the two commands are `make demo` and `make test`; both install what they need.
.PHONY: setup build test demo clean

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh

test: build
	bash scripts/test.sh

demo: build
	bash scripts/demo.sh

clean:
	rm -rf target pkg/dist build tests/out
