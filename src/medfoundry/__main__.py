from medfoundry.cli.main import main

main()
