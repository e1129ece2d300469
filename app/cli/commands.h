#pragma once

#include <QStringList>

namespace animerec::cli {

// Each `animerec <command>` is one function: it parses its own arguments (args[0] is the
// command name), prints errors to stderr, and returns the process exit code.
int runImport(const QStringList& args);
int runGenerate(const QStringList& args);
int runTrain(const QStringList& args);
// `train collaborative [--tune]` (runTrain hands it over when args[1] is "collaborative").
int runTrainCollaborative(const QStringList& args);
int runServe(const QStringList& args);
int runEvaluate(const QStringList& args);
int runAb(const QStringList& args);
// `recommend`, `similar`, `top`, `show`: one explorer question (args[0] says which).
int runQuestion(const QStringList& args);
// `explore`: the same questions at a prompt, the data and models loaded once.
int runExplore(const QStringList& args);

}  // namespace animerec::cli
