# Care Clock. `make run` to talk to it, `make test` to test everything.
.PHONY: setup train run run-cluster shell test test-fast test-stories lock clean bench forget

setup:         ## create .venv and install the locked requirements
	@bash scripts/setup.sh

train:         ## train the model if config, domain or data changed
	@bash scripts/train.sh

run:           ## start action server + Rasa server; Ctrl-C stops both
	@bash scripts/run.sh

run-cluster:   ## scaled mode on this machine: Redis, PostgreSQL, CARE_CLOCK_WORKERS Rasa servers, nginx in front
	@bash scripts/run_cluster.sh

shell:         ## talk to the bot in the terminal
	@bash scripts/shell.sh

test:          ## validate data, conversation tests, NLU cross-validation, pytest
	@bash scripts/test.sh

test-fast:     ## lint, types, the engine and unit tests: no servers, no training (about 3 minutes)
	@bash scripts/test_fast.sh

test-stories:  ## one file of conversation tests: make test-stories FILE=tests/stories/test_crisis.yml
	@bash scripts/test_stories.sh $(FILE)

lock:          ## regenerate requirements.lock from requirements.in
	@bash scripts/lock.sh

clean:         ## remove trained models, results and logs (keeps .venv and conversations)
	rm -rf models results var/log

bench:         ## measure latency, throughput, start-up, memory; writes bench/results.md
	@bash scripts/setup.sh && bash -c 'source scripts/common.sh && python -m bench.run_bench'

forget:        ## delete conversations with no activity in the last DAYS days: make forget DAYS=30
	@test -n "$(DAYS)" || { echo "usage: make forget DAYS=30" >&2; exit 2; }
	@bash scripts/setup.sh && bash -c 'source scripts/common.sh && python -m bot.retention --days "$(DAYS)"'
