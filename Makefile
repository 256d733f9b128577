# swf-edge: the two commands are `make demo` and `make test`; both install what they need.
.PHONY: setup build test demo dashboard bench soak docs clean

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh

test: build
	bash scripts/test.sh

demo: build
	bash scripts/demo.sh

dashboard: build
	bash scripts/dashboard.sh

bench: build
	bash bench/run.sh --full

soak: build
	bash bench/soak.sh

# The API reference, generated from pkg/index.d.ts by TypeDoc into build/api/ (git-ignored).
docs: build
	node_modules/.bin/typedoc --options tests/docs/typedoc.json
	@echo "docs: build/api/index.html"

clean:
	rm -rf target pkg/dist build tests/out
