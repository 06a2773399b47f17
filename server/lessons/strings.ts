// The lesson viewer's own words in each language, used by the server's renderer and the browser alike (pure data:
// the browser bundles it). A language missing here is shown in English; a new language is a new entry.

export interface ViewerStrings {
  siteTitle: string;
  language: string;
  playerPage: string;
  course: string;
  courseFor: (player: string) => string;
  minutes: (n: number) => string;
  /** Marks a lesson of the index, or heads a lesson page, shown in English because the language lacks it. */
  inEnglish: string;
  fallbackNotice: string;
  manifests: string;
  hint: string;
  solution: string;
  checkMyWork: string;
  namespace: string;
  progressSavedFor: (player: string) => string;
  chooseName: string;
  checking: string;
  stepComplete: string;
  notYet: string;
  copy: string;
  copied: string;
  selectAndCopy: string;
  notOnSandbox: string;
  /** Above a block that waits for the learner (`-w`, an editor) or changes their machine: it runs on the sandbox too. */
  interactive: string;
  /** In a workshop room, for a learner whose browser has not joined it: checks run in the attendee's own cluster. */
  joinRoomFirst: string;
  /** A completed step the server could not record: the progress list holds as many attendees as it may. */
  progressNotSaved: string;
  /** In a namespace room (issue 14), above a block that needs cluster-admin: the instructor runs it for everyone. */
  instructorShows: string;
  needsClusterAdmin: string;
  /** In a namespace room, a check that needs cluster-admin: not run for the attendee, not needed for progress. */
  instructorCheck: string;
  /** In a namespace room, instead of the namespace field: the attendee's kubeconfig names their namespace. */
  ownNamespace: string;
  /** Why "Check my work" refused to run (the request, not a check). */
  refused: {
    protectedNamespace: (namespace: string) => string;
    tooManyChecks: (seconds: number) => string;
  };
  /** What "Check my work" says when a check cannot be evaluated (the checks' own messages are in checks.yaml). */
  checks: {
    forbidden: (kind: string, namespace: string | undefined) => string;
    forbiddenDetail: (code: number, kind: string) => string;
    unreachable: string;
    needsPilotName: string;
    nameNotLabel: (player: string) => string;
    nameNotObjectName: (player: string) => string;
    notChecked: string;
    /** The detail of a verdict: what was observed. Kinds, names, paths and values stay as the cluster has them. */
    withSelector: (kind: string, selector: string) => string;
    notFound: (what: string) => string;
    stillExists: (what: string) => string;
    asExpected: (what: string) => string;
    missing: string;
    /** Stands for a value the check read but does not show (a Secret's data). */
    hidden: string;
    fieldIs: (path: string, actual: string, expected: string) => string;
    counted: (count: number, what: string) => string;
    countExpected: (count: number, what: string, expected: string) => string;
    /** A reason from the cluster or the connection to it: theirs, quoted as they wrote it. */
    clusterAnswered: (code: number) => string;
    connectionFailed: (text: string) => string;
  };
}

const en: ViewerStrings = {
  siteTitle: 'Kube Wars lessons',
  language: 'Language',
  playerPage: 'Player page',
  course: 'Course',
  courseFor: (player) => `Course for ${player}`,
  minutes: (n) => `${n} min`,
  inEnglish: 'in English',
  fallbackNotice: 'This lesson is not translated yet: it is shown in English.',
  manifests: 'Manifests',
  hint: 'Hint',
  solution: 'Solution',
  checkMyWork: 'Check my work',
  namespace: 'Namespace',
  progressSavedFor: (player) => `Progress saved for ${player}.`,
  chooseName: 'Choose a pilot name on the player page to save progress.',
  checking: 'Checking…',
  stepComplete: 'Step complete!',
  notYet: 'Not yet: fix the failing checks and try again.',
  copy: 'Copy',
  copied: 'Copied',
  selectAndCopy: 'Select and copy',
  notOnSandbox: 'Not on the sandbox:',
  interactive: 'By hand (works on the sandbox too):',
  joinRoomFirst: 'This is a workshop room: join it on the player page first, so your checks run in your own cluster.',
  progressNotSaved: 'Step complete, but not saved: the progress list is full (tell your instructor).',
  instructorShows: 'Your instructor shows this one:',
  needsClusterAdmin: 'it needs rights over the whole cluster, and yours stop at your namespace.',
  instructorCheck: 'your instructor shows this one; your progress does not wait for it',
  ownNamespace: 'Your checks look in your own namespace.',
  refused: {
    protectedNamespace: (namespace) =>
      `Namespace ${namespace} belongs to the cluster itself: check your work in your own namespace (default, or one you created).`,
    tooManyChecks: (seconds) => `Too many checks from your address: try again in ${seconds} s.`,
  },
  checks: {
    forbidden: (kind, namespace) =>
      `This check could not run: the cluster does not let Kube Wars read ${kind} objects${namespace ? ` in namespace ${namespace}` : ''}.`,
    forbiddenDetail: (code, kind) =>
      `the cluster answered ${code}; give Kube Wars' account get and list on ${kind} (ask your instructor)`,
    unreachable: 'This check could not run: is the cluster reachable?',
    needsPilotName: 'This check looks for your fleet: choose a pilot name on the player page first.',
    nameNotLabel: (player) =>
      `Your pilot name "${player}" cannot be a Kubernetes label value: choose one with letters, digits, "-", "_" or "." on the player page.`,
    nameNotObjectName: (player) =>
      `Your pilot name "${player}" cannot be part of an object name: use lower-case letters, digits and "-" on the player page.`,
    notChecked: 'not checked',
    withSelector: (kind, selector) => `${kind} with ${selector}`,
    notFound: (what) => `${what} not found`,
    stillExists: (what) => `${what} still exists`,
    asExpected: (what) => `${what} as expected`,
    missing: 'missing',
    hidden: '(hidden)',
    fieldIs: (path, actual, expected) => `${path} is ${actual}, expected ${expected}`,
    counted: (count, what) => `${count} ${what}`,
    countExpected: (count, what, expected) => `${count} ${what}, expected ${expected}`,
    clusterAnswered: (code) => `the cluster answered ${code}`,
    connectionFailed: (text) => `connecting to the cluster failed: “${text}”`,
  },
};

const fr: ViewerStrings = {
  siteTitle: 'Leçons Kube Wars',
  language: 'Langue',
  playerPage: 'Page joueur',
  course: 'Parcours',
  courseFor: (player) => `Parcours de ${player}`,
  minutes: (n) => `${n} min`,
  inEnglish: 'en anglais',
  fallbackNotice: "Cette leçon n'est pas encore traduite : elle est affichée en anglais.",
  manifests: 'Manifestes',
  hint: 'Indice',
  solution: 'Solution',
  checkMyWork: 'Vérifier mon travail',
  namespace: 'Namespace',
  progressSavedFor: (player) => `Progression enregistrée pour ${player}.`,
  chooseName: 'Choisissez un nom de pilote sur la page joueur pour enregistrer votre progression.',
  checking: 'Vérification…',
  stepComplete: 'Étape terminée !',
  notYet: 'Pas encore : corrigez les vérifications en échec et réessayez.',
  copy: 'Copier',
  copied: 'Copié',
  selectAndCopy: 'Sélectionnez et copiez',
  notOnSandbox: 'Pas sur le bac à sable :',
  interactive: 'À la main (marche aussi sur le bac à sable) :',
  joinRoomFirst:
    "Vous êtes dans une salle d'atelier : rejoignez-la d'abord sur la page joueur, pour que vos vérifications tournent dans votre propre cluster.",
  progressNotSaved: "Étape terminée, mais non enregistrée : la liste de progression est pleine (prévenez l'animateur).",
  instructorShows: 'Votre animateur montre celle-ci :',
  needsClusterAdmin: "il faut des droits sur tout le cluster, et les vôtres s'arrêtent à votre namespace.",
  instructorCheck: "votre animateur montre celle-ci ; votre progression ne l'attend pas",
  ownNamespace: 'Vos vérifications regardent dans votre propre namespace.',
  refused: {
    protectedNamespace: (namespace) =>
      `Le namespace ${namespace} appartient au cluster lui-même : vérifiez votre travail dans votre namespace (default, ou un que vous avez créé).`,
    tooManyChecks: (seconds) => `Trop de vérifications depuis votre adresse : réessayez dans ${seconds} s.`,
  },
  checks: {
    forbidden: (kind, namespace) =>
      `Cette vérification n'a pas pu tourner : le cluster ne laisse pas Kube Wars lire les objets ${kind}${namespace ? ` du namespace ${namespace}` : ''}.`,
    forbiddenDetail: (code, kind) =>
      `le cluster a répondu ${code} ; donnez au compte de Kube Wars get et list sur ${kind} (demandez à l'animateur)`,
    unreachable: "Cette vérification n'a pas pu tourner : le cluster est-il joignable ?",
    needsPilotName: 'Cette vérification cherche votre flotte : choisissez d\'abord un nom de pilote sur la page joueur.',
    nameNotLabel: (player) =>
      `Votre nom de pilote « ${player} » ne peut pas être une valeur de label Kubernetes : choisissez-en un fait de lettres, chiffres, « - », « _ » ou « . » sur la page joueur.`,
    nameNotObjectName: (player) =>
      `Votre nom de pilote « ${player} » ne peut pas entrer dans un nom d'objet : utilisez des minuscules, des chiffres et « - » sur la page joueur.`,
    notChecked: 'non vérifié',
    withSelector: (kind, selector) => `${kind} avec ${selector}`,
    notFound: (what) => `${what} introuvable`,
    stillExists: (what) => `${what} existe toujours`,
    asExpected: (what) => `${what} conforme`,
    missing: 'absent',
    hidden: '(masqué)',
    fieldIs: (path, actual, expected) => `${path} vaut ${actual}, attendu ${expected}`,
    counted: (count, what) => `${count} ${what}`,
    countExpected: (count, what, expected) => `${count} ${what}, attendu ${expected}`,
    clusterAnswered: (code) => `le cluster a répondu ${code}`,
    connectionFailed: (text) => `la connexion au cluster a échoué : « ${text} »`,
  },
};

const ru: ViewerStrings = {
  siteTitle: 'Уроки Kube Wars',
  language: 'Язык',
  playerPage: 'Страница игрока',
  course: 'Курс',
  courseFor: (player) => `Курс пилота ${player}`,
  minutes: (n) => `${n} мин`,
  inEnglish: 'на английском',
  fallbackNotice: 'Этот урок ещё не переведён, поэтому он показан на английском.',
  manifests: 'Манифесты',
  hint: 'Подсказка',
  solution: 'Решение',
  checkMyWork: 'Проверить мою работу',
  namespace: 'Пространство имён',
  progressSavedFor: (player) => `Прогресс пилота ${player} сохранён.`,
  chooseName: 'Чтобы сохранять прогресс, выберите имя пилота на странице игрока.',
  checking: 'Проверяем…',
  stepComplete: 'Шаг пройден!',
  notYet: 'Пока нет: исправьте то, что не прошло проверку, и попробуйте ещё раз.',
  copy: 'Копировать',
  copied: 'Скопировано',
  selectAndCopy: 'Выделите и скопируйте',
  notOnSandbox: 'Не для песочницы:',
  interactive: 'Вручную (работает и в песочнице):',
  joinRoomFirst:
    'Это учебный зал: сначала присоединитесь к нему на странице игрока, чтобы проверки шли в вашем собственном кластере.',
  progressNotSaved: 'Шаг пройден, но не сохранён: список прогресса заполнен (сообщите преподавателю).',
  instructorShows: 'Это показывает преподаватель:',
  needsClusterAdmin: 'нужны права на весь кластер, а ваши ограничены вашим пространством имён.',
  instructorCheck: 'это показывает преподаватель; ваш прогресс от этого не зависит',
  ownNamespace: 'Проверки смотрят в ваше собственное пространство имён.',
  refused: {
    protectedNamespace: (namespace) =>
      `Пространство имён ${namespace} принадлежит самому кластеру: проверяйте работу в своём пространстве имён (default или созданном вами).`,
    tooManyChecks: (seconds) => `Слишком много проверок с вашего адреса: попробуйте снова через ${seconds} с.`,
  },
  checks: {
    forbidden: (kind, namespace) =>
      `Эту проверку не удалось выполнить: кластер не разрешает Kube Wars читать объекты ${kind}${namespace ? ` в пространстве имён ${namespace}` : ''}.`,
    forbiddenDetail: (code, kind) =>
      `кластер ответил ${code}; выдайте учётной записи Kube Wars права get и list на ${kind} (обратитесь к преподавателю)`,
    unreachable: 'Эту проверку не удалось выполнить: доступен ли кластер?',
    needsPilotName: 'Эта проверка ищет ваш флот: сначала выберите имя пилота на странице игрока.',
    nameNotLabel: (player) =>
      `Имя пилота «${player}» не может быть значением метки Kubernetes: выберите на странице игрока имя из латинских букв, цифр, «-», «_» или «.».`,
    nameNotObjectName: (player) =>
      `Имя пилота «${player}» не может входить в имя объекта: используйте на странице игрока строчные латинские буквы, цифры и «-».`,
    notChecked: 'не проверено',
    withSelector: (kind, selector) => `${kind} с селектором ${selector}`,
    notFound: (what) => `${what}: не найден`,
    stillExists: (what) => `${what}: всё ещё существует`,
    asExpected: (what) => `${what}: как ожидалось`,
    missing: 'отсутствует',
    hidden: '(скрыто)',
    fieldIs: (path, actual, expected) => `${path} = ${actual}, ожидалось ${expected}`,
    counted: (count, what) => `${count} ${what}`,
    countExpected: (count, what, expected) => `${count} ${what}, ожидалось ${expected}`,
    clusterAnswered: (code) => `кластер ответил ${code}`,
    connectionFailed: (text) => `не удалось связаться с кластером: «${text}»`,
  },
};

const zh: ViewerStrings = {
  siteTitle: 'Kube Wars 课程',
  language: '语言',
  playerPage: '玩家页面',
  course: '课程',
  courseFor: (player) => `${player} 的课程`,
  minutes: (n) => `${n} 分钟`,
  inEnglish: '英文',
  fallbackNotice: '本课尚未翻译，以下为英文原文。',
  manifests: '清单',
  hint: '提示',
  solution: '答案',
  checkMyWork: '检查我的操作',
  namespace: '命名空间',
  progressSavedFor: (player) => `已为 ${player} 保存进度。`,
  chooseName: '请先在玩家页面选择一个飞行员名字，才能保存进度。',
  checking: '检查中…',
  stepComplete: '本步骤完成！',
  notYet: '还没有完成：请修正未通过的检查项后重试。',
  copy: '复制',
  copied: '已复制',
  selectAndCopy: '请选中后复制',
  notOnSandbox: '沙箱中无法运行：',
  interactive: '手动运行（沙箱中也可以）：',
  joinRoomFirst: '这是一个工作坊教室：请先在玩家页面加入，这样检查才会在你自己的集群中运行。',
  progressNotSaved: '本步骤已完成，但未能保存：进度列表已满（请告诉讲师）。',
  instructorShows: '这一步由讲师演示：',
  needsClusterAdmin: '它需要整个集群的权限，而你的权限仅限于你自己的命名空间。',
  instructorCheck: '由讲师演示；你的进度不需要它',
  ownNamespace: '检查会在你自己的命名空间中进行。',
  refused: {
    protectedNamespace: (namespace) =>
      `命名空间 ${namespace} 属于集群本身：请在你自己的命名空间（default 或你创建的命名空间）中检查。`,
    tooManyChecks: (seconds) => `来自你的地址的检查过于频繁：请在 ${seconds} 秒后重试。`,
  },
  checks: {
    forbidden: (kind, namespace) =>
      `无法执行此检查：集群不允许 Kube Wars 读取${namespace ? `命名空间 ${namespace} 中的` : ''} ${kind} 对象。`,
    forbiddenDetail: (code, kind) =>
      `集群返回了 ${code}；请为 Kube Wars 的账号授予 ${kind} 的 get 和 list 权限（请联系讲师）`,
    unreachable: '无法执行此检查：集群能连通吗？',
    needsPilotName: '此检查要查找你的舰队：请先在玩家页面选择一个飞行员名字。',
    nameNotLabel: (player) =>
      `你的飞行员名字“${player}”不能用作 Kubernetes 标签值：请在玩家页面换一个只含字母、数字、“-”、“_”或“.”的名字。`,
    nameNotObjectName: (player) =>
      `你的飞行员名字“${player}”不能用在对象名称中：请在玩家页面改用小写字母、数字和“-”。`,
    notChecked: '未检查',
    withSelector: (kind, selector) => `带有 ${selector} 的 ${kind}`,
    notFound: (what) => `未找到 ${what}`,
    stillExists: (what) => `${what} 仍然存在`,
    asExpected: (what) => `${what} 符合预期`,
    missing: '缺失',
    hidden: '（已隐藏）',
    fieldIs: (path, actual, expected) => `${path} 为 ${actual}，应为 ${expected}`,
    counted: (count, what) => `${count} ${what}`,
    countExpected: (count, what, expected) => `${count} ${what}，应为 ${expected}`,
    clusterAnswered: (code) => `集群返回了 ${code}`,
    connectionFailed: (text) => `连接集群失败：“${text}”`,
  },
};

const tables: Record<string, ViewerStrings> = { en, fr, ru, zh };

/** The viewer's words in `lang` (a region like fr-CA uses fr), English when the language has no table. */
export function viewerStrings(lang: string): ViewerStrings {
  return tables[lang] ?? tables[lang.split('-')[0] ?? ''] ?? en;
}
